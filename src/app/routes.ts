// The route registry: the only place that imports the modules' routes.
import type { ApiApp } from '../platform/http/app.ts';
import { orgRoutes } from '../modules/org/index.ts';
import { identityRoutes, type SessionCookie } from '../modules/identity/index.ts';
import { auditTrailRoutes } from '../modules/audit-trail/index.ts';
import { frameworksRoutes } from '../modules/frameworks/index.ts';
import { complianceRoutes } from '../modules/compliance/index.ts';
import { assetsRoutes } from '../modules/assets/index.ts';
import { risksRoutes } from '../modules/risks/index.ts';
import { emailAuthRoutes } from '../modules/email-auth/index.ts';
import { dmarcReportsRoutes } from '../modules/dmarc-reports/index.ts';
import { notificationsRoutes } from '../modules/notifications/index.ts';
import type { Services } from './context.ts';

export function registerRoutes(app: ApiApp, services: Services, cookie: SessionCookie): void {
  identityRoutes(app, services.identity, cookie);
  orgRoutes(app, services.org);
  auditTrailRoutes(app, services.auditTrail);
  frameworksRoutes(app, services.frameworks);
  complianceRoutes(app, services.compliance, services.org);
  assetsRoutes(app, services.assets);
  risksRoutes(app, services.risks);
  emailAuthRoutes(app, services.emailAuth);
  dmarcReportsRoutes(app, services.dmarcReports);
  notificationsRoutes(app, services.notifications);
}

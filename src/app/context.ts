// Composition root: opens the database, runs migrations and wires the modules' services together.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../platform/config.ts';
import { openDatabase, type Database, type DatabaseTarget } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { loadSecretKey, secretBox } from '../platform/auth/secrets.ts';
import { migrations } from '../migrations/index.ts';
import { createOrgService, type OrgService } from '../modules/org/index.ts';
import { createIdentityService, type IdentityService } from '../modules/identity/index.ts';
import { createAuditTrailService, type AuditTrailService } from '../modules/audit-trail/index.ts';
import { createFrameworksService, type FrameworksService } from '../modules/frameworks/index.ts';
import { createComplianceService, type ComplianceService } from '../modules/compliance/index.ts';
import { createAssetsService, type AssetsService } from '../modules/assets/index.ts';
import { createRisksService, type RisksService } from '../modules/risks/index.ts';
import {
  createDomainScanner,
  createEmailAuthService,
  createReverseLookup,
  type DomainScanner,
  type EmailAuthService,
} from '../modules/email-auth/index.ts';
import { createDmarcReportsService, type DmarcReportsService } from '../modules/dmarc-reports/index.ts';
import { createNotificationsService, type NotificationsService } from '../modules/notifications/index.ts';
import { createMailer } from '../platform/mail/mailer.ts';
import { fileStore } from '../platform/files/file-store.ts';
import { systemActor } from '../platform/authz/permissions.ts';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

export interface Services {
  org: OrgService;
  identity: IdentityService;
  auditTrail: AuditTrailService;
  frameworks: FrameworksService;
  compliance: ComplianceService;
  assets: AssetsService;
  risks: RisksService;
  emailAuth: EmailAuthService;
  dmarcReports: DmarcReportsService;
  notifications: NotificationsService;
}

export interface AppContext {
  config: Config;
  db: Database;
  services: Services;
  close(): Promise<void>;
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url }
    : { kind: 'sqlite', file: config.database.file };
}

/** `scanner` replaces the network scanner (tests that give their own). */
export function createServices(db: Database, config: Config, scanner?: DomainScanner): Services {
  const box = secretBox(loadSecretKey(config.secretKey, config.dataDir));
  const org = createOrgService({ db });
  const identity = createIdentityService({
    db,
    box,
    session: config.session,
    login: config.login,
    companyExists: org.companyExists,
    authCacheMs: config.authCacheSeconds * 1000,
  });
  const frameworks = createFrameworksService({ db });
  const compliance = createComplianceService({
    db,
    files: fileStore(path.join(config.dataDir, 'files')),
    org,
    frameworks,
  });
  const assets = createAssetsService({ db });
  const risks = createRisksService({ db, org, assets, compliance });
  const notifications = createNotificationsService({
    db,
    box,
    publicUrl: config.publicUrl,
    mailer: config.mail ? createMailer({ url: config.mail.smtpUrl, from: config.mail.from }) : null,
    maxAttempts: config.notifications.maxAttempts,
    webhookPrivateAddresses: config.notifications.webhookPrivateAddresses,
  });
  const emailAuth = createEmailAuthService({
    db,
    org,
    risks,
    notifications,
    scanner: scanner ?? createDomainScanner(config.scans),
  });
  return {
    org,
    identity,
    auditTrail: createAuditTrailService({ db }),
    frameworks,
    compliance,
    assets,
    risks,
    emailAuth,
    dmarcReports: createDmarcReportsService({
      db,
      alerts: emailAuth,
      reverse: createReverseLookup(config.scans),
    }),
    notifications,
  };
}

/** Opens the configured database (or the one given), migrates it and builds the services. */
export async function createContext(
  config: Config,
  target: DatabaseTarget = databaseTarget(config),
): Promise<AppContext> {
  const db = await openDatabase(target);
  try {
    await migrateToLatest(db, migrations);
  } catch (err) {
    await db.close();
    throw err;
  }
  const services = createServices(db, config);
  try {
    await services.frameworks.installBuiltins(systemActor('system'));
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    config,
    db,
    services,
    close: () => {
      services.notifications.close();
      return db.close();
    },
  };
}

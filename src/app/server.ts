// Builds the HTTP server around a context and bootstraps the first administrator.
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp, type ApiApp, type AppOptions } from '../platform/http/app.ts';
import { systemActor } from '../platform/authz/permissions.ts';
import { createAuthenticator } from '../modules/identity/index.ts';
import { registerRoutes } from './routes.ts';
import { ROOT_DIR, VERSION, type AppContext } from './context.ts';

export const WEB_DIST = path.join(ROOT_DIR, 'web', 'dist');

export function sessionCookie(ctx: AppContext) {
  return {
    name: ctx.config.cookieSecure ? '__Host-mamori_session' : 'mamori_session',
    secure: ctx.config.cookieSecure,
  };
}

export async function createServer(
  ctx: AppContext,
  opts: {
    extraRoutes?: (app: ApiApp) => void;
    logLevel?: string;
    webDist?: string | undefined;
    onRoute?: AppOptions['onRoute'];
  } = {},
): Promise<ApiApp> {
  const cookie = sessionCookie(ctx);
  return buildApp({
    logLevel: opts.logLevel ?? ctx.config.logLevel,
    version: VERSION,
    verifyResponses: ctx.config.verifyResponses,
    hsts: ctx.config.publicUrl.startsWith('https:'),
    webDist: opts.webDist === undefined ? WEB_DIST : opts.webDist,
    ...(opts.onRoute ? { onRoute: opts.onRoute } : {}),
    authenticate: createAuthenticator(ctx.services.identity, cookie.name),
    ready: async () => {
      await sql`select 1`.execute(ctx.db.kysely);
      return true;
    },
    registerRoutes: (app) => {
      registerRoutes(app, ctx.services, cookie);
      opts.extraRoutes?.(app);
    },
  });
}

/**
 * On an empty database: the administrator from MAMORI_ADMIN_EMAIL / MAMORI_ADMIN_PASSWORD, or else a
 * one-time setup link. Returns the link when one was issued.
 */
export async function bootstrapFirstAdmin(ctx: AppContext): Promise<string | null> {
  const identity = ctx.services.identity;
  if (!(await identity.needsSetup())) return null;
  const admin = ctx.config.admin;
  if (admin) {
    await identity.createUserWithRoles(
      systemActor('bootstrap'),
      {
        email: admin.email,
        displayName: 'Administrator',
        password: admin.password,
        personId: null,
        locale: 'en',
      },
      [{ role: 'group_admin', companyId: null }],
    );
    return null;
  }
  const token = await identity.issueSetupToken();
  return `${ctx.config.publicUrl}/setup#token=${token}`;
}

// The Fastify application: validation from zod, problem+json errors, authentication, OpenAPI and the web UI.
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { responseSerializerCompiler } from './serializer.ts';
import { newId } from '../ids.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { PERMISSIONS, scopeOf, can, type Action, type Actor } from '../authz/permissions.ts';
import { problem, sendProblem, toProblem } from './problem.ts';

/** Who may call a route: an action of the permission table, any signed-in user, or anyone. */
export type RouteAccess = Action | 'authenticated' | 'public';

export interface AuthContext {
  actor: Actor;
  via: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  /** 'mfa_enrollment': signed in with a password, but an administrator who has not enrolled TOTP yet. */
  stage: 'full' | 'mfa_enrollment';
}

export type Authenticator = (req: FastifyRequest) => Promise<AuthContext | null>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    allowDuringMfaEnrollment?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export type ApiApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

export interface AppOptions {
  logLevel: string;
  authenticate: Authenticator;
  registerRoutes: (app: ApiApp) => void | Promise<void>;
  ready: () => Promise<boolean>;
  webDist?: string | undefined;
  version: string;
  /** Send Strict-Transport-Security (the public address is https). */
  hsts?: boolean;
  /** Check every response against its schema (tests); production writes DTOs as they are. */
  verifyResponses?: boolean;
  /** Sees every route as it is registered (the authorisation test enumerates them). */
  onRoute?: (route: { method: string | string[]; url: string; access: RouteAccess | undefined }) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// The UI's own scripts only; Mantine sets inline style attributes, hence 'unsafe-inline' for styles alone.
const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/** The actor of a request that passed the route's access check. */
/** What the UI's build serves as files: scripts, styles, images, fonts, maps, manifests. */
const STATIC_FILE =
  /\.(?:js|mjs|css|map|html|json|txt|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|webmanifest)$/i;

export function actorOf(req: FastifyRequest): Actor {
  if (!req.auth) throw unauthorized();
  return req.auth.actor;
}

function hasAnywhere(actor: Actor, action: Action): boolean {
  if (PERMISSIONS[action].scope === 'self') return can(actor, action);
  const s = scopeOf(actor, action);
  return s.all || s.companyIds.length > 0;
}

export async function buildApp(opts: AppOptions): Promise<ApiApp> {
  const app = Fastify({
    logger: opts.logLevel === 'silent' ? false : { level: opts.logLevel },
    genReqId: () => newId(),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  if (opts.onRoute) {
    const see = opts.onRoute;
    app.addHook('onRoute', (r) => see({ method: r.method, url: r.url, access: r.config?.access }));
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(opts.verifyResponses ?? false));
  app.decorateRequest('auth', null);

  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(reply, req, p);
  });

  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    // Client-side routes get the UI's index.html, domain names in them included (/dmarc/domains/example.com);
    // a missing static file (a path ending in an asset's extension) is a plain 404.
    const isFile = STATIC_FILE.test(url);
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      !url.startsWith('/api/') &&
      !isFile &&
      opts.webDist
    ) {
      const index = path.join(opts.webDist, 'index.html');
      if (fs.existsSync(index))
        return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, req, problem(404, 'not_found', `No route ${req.method} ${url}`));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (opts.hsts) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html') && !req.url.startsWith('/api/docs')) {
      reply.header('content-security-policy', WEB_CSP);
    }
    return payload;
  });

  await app.register(fastifyCookie);

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (access === undefined) return; // static files, docs, 404s
    const auth = await opts.authenticate(req);
    if (auth) auth.actor.requestId = req.id;
    req.auth = auth;
    if (access === 'public') return;
    if (!auth) throw unauthorized();
    if (auth.stage === 'mfa_enrollment' && !req.routeOptions.config.allowDuringMfaEnrollment) {
      throw forbidden('Enrol multi-factor authentication before continuing', 'mfa_enrolment');
    }
    if (auth.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || header !== auth.csrfToken) {
        throw forbidden('Missing or invalid CSRF token (send the x-csrf-token header)', 'csrf');
      }
    }
    if (access !== 'authenticated' && !hasAnywhere(auth.actor, access)) throw forbidden();
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mamori API',
        version: opts.version,
        description: 'Group-wide ISMS. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'mamori_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const ok = await opts.ready().catch(() => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable' });
  });

  await app.register(
    async (api) => {
      await opts.registerRoutes(api as unknown as ApiApp);
    },
    { prefix: '/api/v1' },
  );

  if (opts.webDist && fs.existsSync(opts.webDist)) {
    await app.register(fastifyStatic, {
      root: opts.webDist,
      wildcard: true,
      index: false,
      // Built assets carry a content hash in their names: they never change, so browsers may keep them.
      setHeaders: (res, filePath) => {
        if (filePath.includes(`${path.sep}assets${path.sep}`))
          res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html'),
    );
  }

  return app;
}

// Public face of the identity module.
import type { FastifyRequest } from 'fastify';
import type { AuthContext, Authenticator } from '../../platform/http/app.ts';
import type { IdentityService } from './identity.service.ts';

export {
  createIdentityService,
  normaliseEmail,
  API_TOKEN_PREFIX,
  type IdentityService,
} from './identity.service.ts';
export { identityRoutes, type SessionCookie } from './identity.routes.ts';
export * from './identity.contract.ts';

/** Resolves a request's credentials: `Authorization: Bearer <API token>` or the session cookie. */
export function createAuthenticator(svc: IdentityService, cookieName: string): Authenticator {
  return async (req: FastifyRequest): Promise<AuthContext | null> => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      return m ? svc.authenticateToken(m[1]!) : null;
    }
    const token = req.cookies[cookieName];
    return token ? svc.authenticateSession(token) : null;
  };
}

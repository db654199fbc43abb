// HTTP face of the identity module: validate with the contract, call the service, answer a DTO.
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type ApiApp, type AuthContext } from '../../platform/http/app.ts';
import { unauthorized } from '../../platform/errors.ts';
import { systemActor } from '../../platform/authz/permissions.ts';
import type { IdentityService } from './identity.service.ts';
import {
  ApiTokenListSchema,
  ChangePasswordSchema,
  CreateApiTokenSchema,
  CreatedApiTokenDtoSchema,
  CreateGrantSchema,
  CreateUserSchema,
  GrantDtoSchema,
  ListUsersQuerySchema,
  LoginSchema,
  MfaConfirmSchema,
  MfaDisableSchema,
  MfaSetupDtoSchema,
  RecoveryCodesDtoSchema,
  ResetPasswordSchema,
  SessionDtoSchema,
  SetupSchema,
  SetupStatusDtoSchema,
  UpdateProfileSchema,
  UpdateUserSchema,
  UserDtoSchema,
  UserGrantParamsSchema,
  UserPageSchema,
} from './identity.contract.ts';

export interface SessionCookie {
  name: string;
  secure: boolean;
}

const IdParams = z.strictObject({ id: z.uuid() });
const NoContent = { 204: z.null() };

function authOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw unauthorized();
  return req.auth;
}

export function identityRoutes(app: ApiApp, svc: IdentityService, cookie: SessionCookie): void {
  const tags = ['identity'];
  const clearCookie = (reply: FastifyReply) => reply.clearCookie(cookie.name, { path: '/' });

  app.get(
    '/setup/status',
    {
      config: { access: 'public' },
      schema: { tags, querystring: NoQuerySchema, response: { 200: SetupStatusDtoSchema } },
    },
    async () => ({
      needsSetup: await svc.needsSetup(),
    }),
  );

  app.post(
    '/setup',
    { config: { access: 'public' }, schema: { tags, body: SetupSchema, response: NoContent } },
    async (req, reply) => {
      await svc.completeSetup(systemActor('setup'), req.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: { tags, body: LoginSchema, response: { 200: SessionDtoSchema } },
    },
    async (req, reply) => {
      const { token, session } = await svc.login(req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? '',
      });
      reply.setCookie(cookie.name, token, {
        httpOnly: true,
        secure: cookie.secure,
        sameSite: 'lax',
        path: '/',
      });
      return session;
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'authenticated', allowDuringMfaEnrollment: true },
      schema: { tags, response: NoContent },
    },
    async (req, reply) => {
      await svc.logout(authOf(req));
      clearCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    {
      config: { access: 'authenticated', allowDuringMfaEnrollment: true },
      schema: { tags, querystring: NoQuerySchema, response: { 200: SessionDtoSchema } },
    },
    (req) => svc.sessionInfo(authOf(req)),
  );

  app.post(
    '/auth/mfa/setup',
    {
      config: { access: 'self.write', allowDuringMfaEnrollment: true },
      schema: { tags, response: { 200: MfaSetupDtoSchema } },
    },
    (req) => svc.startMfaEnrollment(actorOf(req)),
  );

  app.post(
    '/auth/mfa/confirm',
    {
      config: { access: 'self.write', allowDuringMfaEnrollment: true },
      schema: { tags, body: MfaConfirmSchema, response: { 200: RecoveryCodesDtoSchema } },
    },
    (req) => svc.confirmMfaEnrollment(authOf(req), req.body.totp),
  );

  app.post(
    '/auth/mfa/recovery-codes',
    { config: { access: 'self.write' }, schema: { tags, response: { 200: RecoveryCodesDtoSchema } } },
    (req) => svc.regenerateRecoveryCodes(actorOf(req)),
  );

  app.post(
    '/auth/mfa/disable',
    { config: { access: 'self.write' }, schema: { tags, body: MfaDisableSchema, response: NoContent } },
    async (req, reply) => {
      await svc.disableMfa(actorOf(req), req.body.password);
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/me',
    {
      config: { access: 'self.write', allowDuringMfaEnrollment: true },
      schema: { tags, body: UpdateProfileSchema, response: { 200: SessionDtoSchema } },
    },
    (req) => svc.updateProfile(authOf(req), req.body),
  );

  app.post(
    '/me/password',
    { config: { access: 'self.write' }, schema: { tags, body: ChangePasswordSchema, response: NoContent } },
    async (req, reply) => {
      await svc.changePassword(authOf(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me/tokens',
    {
      config: { access: 'self.read' },
      schema: { tags, querystring: NoQuerySchema, response: { 200: ApiTokenListSchema } },
    },
    async (req) => ({
      items: await svc.listTokens(actorOf(req)),
    }),
  );

  app.post(
    '/me/tokens',
    {
      config: { access: 'self.write' },
      schema: { tags, body: CreateApiTokenSchema, response: { 201: CreatedApiTokenDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createToken(actorOf(req), req.body)),
  );

  app.delete(
    '/me/tokens/:id',
    { config: { access: 'self.write' }, schema: { tags, params: IdParams, response: NoContent } },
    async (req, reply) => {
      await svc.revokeToken(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users',
    {
      config: { access: 'user.read' },
      schema: { tags, querystring: ListUsersQuerySchema, response: { 200: UserPageSchema } },
    },
    (req) => svc.listUsers(actorOf(req), req.query),
  );

  app.post(
    '/users',
    {
      config: { access: 'user.manage' },
      schema: { tags, body: CreateUserSchema, response: { 201: UserDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createUser(actorOf(req), req.body)),
  );

  app.get(
    '/users/:id',
    { config: { access: 'user.read' }, schema: { tags, params: IdParams, response: { 200: UserDtoSchema } } },
    (req) => svc.getUser(actorOf(req), req.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'user.manage' },
      schema: { tags, params: IdParams, body: UpdateUserSchema, response: { 200: UserDtoSchema } },
    },
    (req) => svc.updateUser(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/users/:id/password',
    {
      config: { access: 'user.manage' },
      schema: { tags, params: IdParams, body: ResetPasswordSchema, response: NoContent },
    },
    async (req, reply) => {
      await svc.resetPassword(actorOf(req), req.params.id, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/mfa/reset',
    { config: { access: 'user.manage' }, schema: { tags, params: IdParams, response: NoContent } },
    async (req, reply) => {
      await svc.resetMfa(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/grants',
    {
      config: { access: 'user.manage' },
      schema: { tags, params: IdParams, body: CreateGrantSchema, response: { 201: GrantDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.grantRole(actorOf(req), req.params.id, req.body)),
  );

  app.delete(
    '/users/:id/grants/:grantId',
    {
      config: { access: 'user.manage' },
      schema: { tags, params: UserGrantParamsSchema, response: NoContent },
    },
    async (req, reply) => {
      await svc.revokeRole(actorOf(req), req.params.id, req.params.grantId);
      return reply.code(204).send(null);
    },
  );
}

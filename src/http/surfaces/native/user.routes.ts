import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { displayName } from '../../../core/users/display-name.js';
import { requireAuth, userOf } from '../../shared/authenticate.js';
import { contextOf } from '../../shared/request-context.js';
import { problems, Text } from '../../shared/schemas.js';
import { sessionView, SessionView } from '../../shared/session-view.js';
import { AddressBody, CodeParams, ProfileResponse, RegisterBody, TokenResponse } from './schemas.js';
import { tokenResponse } from './token-response.js';

/** /v1/user: registration, profile, addresses, email verification and one's own sessions. */
export const userRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const reader = requireAuth(core, 'profile.read');
  const writer = requireAuth(core, 'profile.write');

  app.post(
    '/v1/user',
    {
      schema: {
        tags: ['native'],
        summary: 'Register a user and log them in',
        description: 'A username that is an email address is also the email unless `email` is given. A taken username (in any case) or email is 409.',
        body: RegisterBody,
        response: { 200: TokenResponse, ...problems(400, 409, 413, 415, 429) },
      },
    },
    async (request) => tokenResponse(await core.register(request.body, contextOf(request, 'native'))),
  );

  app.get(
    '/v1/user/profile',
    {
      preHandler: reader,
      schema: { tags: ['native'], summary: "The caller's profile", response: { 200: ProfileResponse, ...problems(401, 403) } },
    },
    async (request) => {
      const { user, addresses } = await core.users.profile(userOf(request).user);
      return {
        id: user.id,
        name: displayName(user),
        locale: user.locale,
        addresses: addresses.map((a) => a.address),
        roles: user.roles,
        username: user.username,
        email: user.email,
        emailVerified: user.emailVerified,
      };
    },
  );

  app.post(
    '/v1/user/address',
    {
      preHandler: writer,
      schema: {
        tags: ['native'],
        summary: 'Add an address to the caller',
        body: AddressBody,
        response: { 200: Type.Object({ addressId: Type.String() }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const address = await core.users.addAddress(userOf(request).user, request.body.address, request.body.type);
      return { addressId: address.id };
    },
  );

  app.post(
    '/v1/user/email/verify',
    {
      preHandler: writer,
      schema: {
        tags: ['native'],
        summary: "Mail a verification code to the caller's address",
        response: { 200: Type.Object({ email: Type.String() }), ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => ({ email: await core.emailVerification.request(userOf(request).user, contextOf(request, 'native')) }),
  );

  app.get(
    '/v1/user/email/verify/:code',
    {
      schema: {
        tags: ['native'],
        summary: 'Confirm an email address with the mailed code',
        params: CodeParams,
        response: { 200: Type.Object({ userId: Type.String(), emailVerified: Type.Literal(true) }), ...problems(400) },
      },
    },
    async (request) => ({ userId: await core.emailVerification.verify(request.params.code), emailVerified: true as const }),
  );

  app.get(
    '/v1/user/sessions',
    {
      preHandler: reader,
      schema: {
        tags: ['native'],
        summary: "The caller's live sessions (refresh-token families)",
        response: { 200: Type.Array(SessionView), ...problems(401, 403) },
      },
    },
    async (request) => {
      const sessions = await core.sessions.listSessions(userOf(request).userId);
      return sessions.map((s) => sessionView(request, s));
    },
  );

  app.delete(
    '/v1/user/sessions/:id',
    {
      preHandler: writer,
      schema: {
        tags: ['native'],
        summary: "Revoke one of the caller's sessions",
        params: Type.Object({ id: Text(64) }),
        response: { 200: Type.Object({ revoked: Type.Literal(true) }), ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      await core.sessions.revokeSession(userOf(request).userId, request.params.id, contextOf(request, 'native'));
      return { revoked: true as const };
    },
  );
};

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { contextOf, firstParty } from '../../shared/request-context.js';
import { problems } from '../../shared/schemas.js';
import { LoginBody, TokenBody, TokenResponse } from './schemas.js';
import { tokenResponse } from './token-response.js';

/** /v1/auth: login, refresh, logout and the public key. */
export const authRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['native'],
        summary: 'Log in with username and password',
        description: 'An expired password answers 403 with `passwordExpired: true` and a `restrictedToken` that only POST /v1/user/password/change accepts.',
        body: LoginBody,
        response: { 200: TokenResponse, ...problems(400, 401, 403, 415) },
      },
    },
    async (request) => {
      const { username, password, locale } = request.body;
      const { tokens } = await core.login.session(username, password, contextOf(request, 'native'), firstParty('native'), locale);
      return tokenResponse(tokens);
    },
  );

  app.post(
    '/v1/auth/token',
    {
      schema: {
        tags: ['native'],
        summary: 'Trade an API key for a session of its owner',
        description: 'JWTs from trusted external issuers are accepted once issuers can be registered (admin API).',
        body: TokenBody,
        response: { 200: TokenResponse, ...problems(400, 401, 403) },
      },
    },
    async (request) => tokenResponse(await core.exchange.exchange(request.body.token, contextOf(request, 'native'), firstParty('native').clientId)),
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags: ['native'],
        summary: 'Trade a refresh token for a new token pair (single use; reuse revokes the session)',
        body: TokenBody,
        response: { 200: TokenResponse, ...problems(400, 401, 403) },
      },
    },
    async (request) => tokenResponse(await core.sessions.refresh(request.body.token, contextOf(request, 'native'))),
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['native'],
        summary: 'Revoke the session (refresh-token family) of a refresh token',
        description: 'Possession of the refresh token is the proof. Unknown tokens answer `revoked: false` (RFC 7009 style).',
        body: TokenBody,
        response: { 200: Type.Object({ revoked: Type.Boolean() }), ...problems(400) },
      },
    },
    async (request) => ({ revoked: await core.sessions.revokeByToken(request.body.token, contextOf(request, 'native')) }),
  );

  app.get(
    '/v1/auth/publicKey',
    {
      schema: {
        tags: ['native'],
        summary: 'The current signing public key (PEM, SubjectPublicKeyInfo)',
        response: { 200: { type: 'string', description: '-----BEGIN PUBLIC KEY-----' } },
      },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').type('application/x-pem-file; charset=utf-8').send(await core.keys.publicKeyPem()),
  );
};

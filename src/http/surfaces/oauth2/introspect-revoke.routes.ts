import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { looksLikeApiKey } from '../../../core/api-keys/api-key.service.js';
import { AuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { presentedToken } from '../../shared/authenticate.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { authenticateClient, presentedClient } from './client-auth.js';

const TokenForm = Type.Object(
  {
    token: Text(8192, { minLength: 1 }),
    token_type_hint: Type.Optional(Text(100)),
    client_id: Type.Optional(Text(200)),
    client_secret: Type.Optional(Text(200)),
  },
  { additionalProperties: true },
);

const Introspection = Type.Object({ active: Type.Boolean() }, { additionalProperties: true });

/** RFC 7662 needs a caller: a registered client, or an admin's bearer token (not an API key). */
async function authorizeIntrospection(core: Core, request: FastifyRequest, form: { client_id?: string; client_secret?: string }) {
  if (presentedClient(request, form)) {
    await authenticateClient(core, request, form);
    return;
  }
  const bearer = presentedToken(request);
  if (!bearer) throw new AuthError('invalid_client', 'introspection needs client authentication or an admin token');
  const principal = await core.authenticator.verify(bearer).catch(() => {
    throw new AuthError('invalid_client', 'the bearer token is not valid');
  });
  if (principal.via !== 'access_token' || principal.passwordExpired || !principal.roles.includes('admin')) {
    throw new AuthError('forbidden', 'introspection needs a registered client or an admin token');
  }
}

/** `POST /oauth2/introspect` (RFC 7662) and `POST /oauth2/revoke` (RFC 7009). */
export const introspectRevokeRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/oauth2/introspect',
    {
      schema: {
        tags: ['oauth2'],
        summary: 'Is this token active? (access token, refresh token or API key)',
        description: 'Callers authenticate as a registered client (Basic or body) or with an admin bearer token. Unknown tokens answer exactly {"active": false}.',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: Introspection },
      },
    },
    async (request) => {
      await authorizeIntrospection(core, request, request.body);
      const { token } = request.body;
      if (looksLikeApiKey(token)) {
        const key = await core.apiKeys.resolve(token);
        return key ? { active: true, token_type: 'api_key', sub: key.userId, iat: Math.floor(key.createdAt / 1000) } : { active: false };
      }
      if (token.split('.').length === 3) {
        try {
          const { payload } = await core.tokens.inspect(token);
          return { ...payload, active: true, token_type: 'Bearer', ...(typeof payload.client_id === 'string' ? {} : { username: payload.username }) };
        } catch {
          return { active: false };
        }
      }
      const refresh = await core.sessions.describe(token);
      if (!refresh.active) return { active: false };
      return {
        active: true,
        token_type: 'refresh_token',
        sub: refresh.userId,
        iss: core.options.issuer,
        iat: Math.floor(refresh.issuedAt / 1000),
        exp: Math.floor(refresh.expiresAt / 1000),
      };
    },
  );

  app.post(
    '/oauth2/revoke',
    {
      schema: {
        tags: ['oauth2'],
        summary: 'Revoke a refresh token (its whole session) or an API key',
        description:
          'Possession of the token is the proof, so client authentication is optional (when given, it must be right). ' +
          'Access tokens are short-lived JWTs and cannot be revoked; like unknown tokens they answer 200 (RFC 7009 section 2.2).',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: Type.Object({}) },
      },
    },
    async (request) => {
      await authenticateClient(core, request, request.body);
      const { token } = request.body;
      const context = contextOf(request, 'oauth2');
      if (looksLikeApiKey(token)) {
        const key = await core.apiKeys.resolve(token);
        if (key) await core.apiKeys.delete(key.userId, token, context);
      } else if (token.split('.').length !== 3) {
        await core.sessions.revokeByToken(token, context);
      }
      return {};
    },
  );
};

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../../core/auth/policy.js';
import { AuthError, isAuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { presentedToken } from '../../shared/authenticate.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { authenticateClient, presentedClient } from './client-auth.js';
import { oauthErrorAnswer, sendOAuthError, TOO_LARGE } from './errors.js';

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

/** The RFC 6750 challenge for a refused bearer token at introspection (RFC 7662 section 2.3). */
const BEARER_CHALLENGE = 'Bearer realm="tessera", error="invalid_token"';

/**
 * RFC 7662 needs a caller: a registered client, or a bearer token the policy allows
 * `token.introspect`. Answers false when it sent the 401 for a refused bearer token itself (RFC
 * 7662 section 2.3 points to RFC 6750: `invalid_token` with a Bearer challenge, not
 * `invalid_client`); a database failure on the way stays what it is (503).
 */
async function authorizeIntrospection(core: Core, request: FastifyRequest, reply: FastifyReply, form: { client_id?: string; client_secret?: string }) {
  if (presentedClient(request, form)) {
    await authenticateClient(core, request, form);
    return true;
  }
  const bearer = presentedToken(request);
  if (!bearer) throw new AuthError('invalid_client', 'introspection needs client authentication or an admin bearer token');
  const principal = await core.authenticate(bearer).catch((error: unknown) => {
    if (isAuthError(error) && error.code !== 'unavailable') return undefined;
    throw error;
  });
  if (!principal) {
    sendOAuthError(reply, 401, 'invalid_token', 'the bearer token is not valid', BEARER_CHALLENGE);
    return false;
  }
  authorize(principal, 'token.introspect');
  return true;
}

/** `POST /oauth2/introspect` (RFC 7662) and `POST /oauth2/revoke` (RFC 7009). */
export const introspectRevokeRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/oauth2/introspect',
    {
      schema: {
        tags: ['oauth2'],
        summary: 'Is this token active? (access token, refresh token or API key)',
        description:
          'Callers authenticate as a registered client (client_secret_basic or client_secret_post) or with an admin bearer token ' +
          '(a refused one is 401 invalid_token with a Bearer challenge). Unknown tokens answer exactly {"active": false}.',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: Introspection, 403: oauthErrorAnswer('Forbidden: access_denied, the bearer token may not introspect'), 413: TOO_LARGE },
      },
    },
    async (request, reply) => {
      if (!(await authorizeIntrospection(core, request, reply, request.body))) return reply;
      return core.introspection.introspect(request.body.token);
    },
  );

  app.post(
    '/oauth2/revoke',
    {
      schema: {
        tags: ['oauth2'],
        summary: 'Revoke a refresh or access token (its whole session) or an API key',
        description:
          'Possession of the token is the proof, so client authentication is optional (when given, it must be right). ' +
          'An access token ends its session (every token of that session). Unknown tokens answer 200 too (RFC 7009 section 2.2).',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: Type.Object({}), 413: TOO_LARGE },
      },
    },
    async (request) => {
      await authenticateClient(core, request, request.body);
      await core.revocation.revoke(request.body.token, contextOf(request, 'oauth2'));
      return {};
    },
  );
};

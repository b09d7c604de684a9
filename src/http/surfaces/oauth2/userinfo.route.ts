import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { principalOf, requireAuth } from '../../shared/authenticate.js';
import { errorHandler } from '../../shared/error-handler.js';
import { oauthErrors, oauthErrorAnswer, sendOAuthError, sendProblemAsOAuth } from './errors.js';

const UserInfoAnswer = Type.Object(
  {
    sub: Type.String({ description: 'the user id' }),
    name: Type.Optional(Type.String()),
    preferred_username: Type.Optional(Type.String()),
    locale: Type.Optional(Type.String()),
    updated_at: Type.Optional(Type.Integer({ description: 'epoch seconds' })),
    email: Type.Optional(Type.String()),
    email_verified: Type.Optional(Type.Boolean()),
  },
  { description: 'the claims the granted scopes release (profile, email); a claim without a value is left out' },
);

/**
 * RFC 6750 section 3 on a protected resource: no credential is a bare 401 challenge, a bad one
 * `invalid_token`, a token that may not read claims a 403 `insufficient_scope`; the body is
 * RFC 6749's `{error, error_description}` as on the other OAuth endpoints.
 */
function renderBearerError(error: AuthError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  switch (error.code) {
    case 'credentials_required':
      return sendOAuthError(reply, 401, 'invalid_request', error.message, 'Bearer realm="tessera"');
    case 'invalid_token':
      return sendOAuthError(reply, 401, 'invalid_token', error.message, 'Bearer realm="tessera", error="invalid_token"');
    case 'forbidden':
    case 'password_expired':
      return sendOAuthError(reply, 403, 'insufficient_scope', error.message, 'Bearer realm="tessera", error="insufficient_scope", scope="openid"');
    default: {
      const { status, error: code } = oauthErrors[error.code];
      return sendOAuthError(reply, status, code, error.message);
    }
  }
}

/** `GET|POST /oauth2/userinfo` (OpenID Connect Core 5.3), bearer token in the Authorization header. */
export const userInfoRoute: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler(renderBearerError, sendProblemAsOAuth));
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/oauth2/userinfo',
      schema: {
        tags: ['oauth2'],
        summary: `UserInfo endpoint (${method}): the claims of the access token's user`,
        description:
          'An access token from the authorization code flow with the openid scope, in the Authorization header. ' +
          'profile releases name, preferred_username, locale and updated_at; email releases email and email_verified. ' +
          'Other access tokens are 403 insufficient_scope; an invalid one 401 invalid_token.',
        response: {
          200: UserInfoAnswer,
          403: oauthErrorAnswer('insufficient_scope: the token was not issued with the openid scope'),
        },
      },
      preHandler: requireAuth(core, 'profile.read'),
      handler: async (request) => core.userInfo.claims(principalOf(request)),
    });
  }
};

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientGrantType, OAuthClient, TokenEndpointAuthMethod } from '../../../core/clients/client.types.js';
import { AuthError } from '../../../core/errors.js';
import type { SessionOrigin, TokenPair } from '../../../core/sessions/session.service.js';
import type { Core } from '../../../core/tessera.js';
import type { IssuedAccessToken } from '../../../core/tokens/token.types.js';
import { contextOf, firstParty } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { authenticateClient, usesBasic } from './client-auth.js';
import { sendOAuthError, TOO_LARGE } from './errors.js';
import { TOKEN_EXCHANGE } from './metadata.js';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const SUBJECT_TOKEN_TYPES = new Set(['urn:ietf:params:oauth:token-type:jwt', ACCESS_TOKEN_TYPE]);

const TokenForm = Type.Object(
  {
    grant_type: Text(200, { minLength: 1 }),
    refresh_token: Type.Optional(Text(512)),
    username: Type.Optional(Text(1024)),
    password: Type.Optional(Text(4096)),
    subject_token: Type.Optional(Text(8192)),
    subject_token_type: Type.Optional(Text(200)),
    scope: Type.Optional(Text(1000)),
    code: Type.Optional(Text(512)),
    redirect_uri: Type.Optional(Text(2000)),
    code_verifier: Type.Optional(Text(512)),
    client_id: Type.Optional(Text(200)),
    client_secret: Type.Optional(Text(200)),
  },
  { additionalProperties: true },
);

const TokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.Optional(Type.String()),
  id_token: Type.Optional(Type.String({ description: 'authorization_code, and refresh_token of its families, with the openid scope' })),
  scope: Type.Optional(Type.String({ description: 'authorization_code and its refreshes: the scopes granted' })),
  issued_token_type: Type.Optional(Type.String()),
});

function required(value: string | undefined, name: string): string {
  if (!value) throw new AuthError('invalid_input', `${name} is required for this grant type`, { field: name });
  return value;
}

function allowed(client: OAuthClient | undefined, grant: ClientGrantType): void {
  if (client && !client.grantTypes.includes(grant)) throw new AuthError('unauthorized_client', `the client may not use ${grant}`);
}

/** Tokens name the authenticated OAuth client, or the OAuth surface itself for public callers. */
function origin(client: OAuthClient | undefined): SessionOrigin {
  return client ? { clientId: client.id } : firstParty('oauth2');
}

function answer(reply: FastifyReply, access: IssuedAccessToken, pair?: Pick<TokenPair, 'refreshToken'>, issuedTokenType?: string) {
  void reply.header('pragma', 'no-cache');
  return {
    access_token: access.token,
    token_type: 'Bearer' as const,
    expires_in: access.expiresIn,
    ...(pair ? { refresh_token: pair.refreshToken } : {}),
    ...(issuedTokenType ? { issued_token_type: issuedTokenType } : {}),
  };
}

/** How the request authenticated its client: HTTP Basic, secrets in the body, or neither (`none`). */
function authMethod(request: FastifyRequest, form: { client_secret?: string | undefined }): TokenEndpointAuthMethod {
  if (usesBasic(request)) return 'client_secret_basic';
  return form.client_secret !== undefined ? 'client_secret_post' : 'none';
}

/** `POST /oauth2/token` (RFC 6749 section 3.2; RFC 8693 for token exchange). */
export const tokenRoute: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/oauth2/token',
    {
      schema: {
        tags: ['oauth2'],
        summary: 'Token endpoint: authorization_code, refresh_token, client_credentials, token-exchange, password',
        description:
          'Form-encoded. Client authentication: HTTP Basic or client_id/client_secret in the body; required for client_credentials, ' +
          'optional otherwise (when given it must be right, and the client must be registered for the grant). password can be turned off (OAUTH_PASSWORD_GRANT=false). ' +
          'A failed client authentication is invalid_client: 401 with a Basic challenge after HTTP Basic, else 400 without one. ' +
          'authorization_code: code, redirect_uri (as in the authorization request) and code_verifier (PKCE S256); a confidential client ' +
          'authenticates with its registered method, a public one sends client_id only. The answer adds id_token (openid scope) and scope; ' +
          'a refresh_token comes with offline_access for a client registered for refresh_token.',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        // every error, from the route or from what runs before it, is RFC 6749's shape (errors.ts);
        // the 400, 401, 429 and 503 every OAuth operation shares come from openapi-document.ts
        response: { 200: TokenAnswer, 413: TOO_LARGE },
      },
    },
    async (request, reply) => {
      const form = request.body;
      const context = contextOf(request, 'oauth2');
      const client = await authenticateClient(core, request, form);
      switch (form.grant_type) {
        case 'refresh_token': {
          allowed(client, 'refresh_token');
          const pair = await core.clientRefresh.refresh(required(form.refresh_token, 'refresh_token'), { authenticated: client, clientId: form.client_id }, context);
          return {
            ...answer(reply, pair.access, pair),
            ...(pair.idToken === undefined ? {} : { id_token: pair.idToken }),
            ...(pair.scope === undefined ? {} : { scope: pair.scope }),
          };
        }
        case 'authorization_code': {
          const redeemed = await core.authorizationCode.redeem(
            {
              code: form.code,
              redirectUri: form.redirect_uri,
              codeVerifier: form.code_verifier,
              client: { authenticated: client, method: authMethod(request, form), clientId: form.client_id },
            },
            context,
          );
          return {
            ...answer(reply, redeemed.access, redeemed.refreshToken === undefined ? undefined : { refreshToken: redeemed.refreshToken }),
            ...(redeemed.idToken === undefined ? {} : { id_token: redeemed.idToken }),
            scope: redeemed.scope,
          };
        }
        case 'client_credentials': {
          if (!client) throw new AuthError('invalid_client', 'client_credentials needs client authentication');
          return answer(reply, await core.clients.issueClientToken(client, context));
        }
        case 'password': {
          if (!core.settings.passwordGrant) return sendOAuthError(reply, 400, 'unsupported_grant_type', 'the password grant is turned off');
          allowed(client, 'password');
          const { tokens } = await core.login.sessionOnly(required(form.username, 'username'), required(form.password, 'password'), context, origin(client));
          return answer(reply, tokens.access, tokens);
        }
        case TOKEN_EXCHANGE: {
          allowed(client, TOKEN_EXCHANGE);
          const type = required(form.subject_token_type, 'subject_token_type');
          if (!SUBJECT_TOKEN_TYPES.has(type)) throw new AuthError('invalid_input', 'unsupported subject_token_type', { field: 'subject_token_type' });
          const pair = await core.exchange.exchange(required(form.subject_token, 'subject_token'), context, origin(client).clientId);
          return answer(reply, pair.access, pair, ACCESS_TOKEN_TYPE);
        }
        default:
          return sendOAuthError(reply, 400, 'unsupported_grant_type', 'grant_type is not supported');
      }
    },
  );
};

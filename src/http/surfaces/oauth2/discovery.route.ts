import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { TOKEN_EXCHANGE } from './token.route.js';

/** `GET /.well-known/openid-configuration`: where everything is, for OAuth/OIDC clients. */
export const discoveryRoute: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  // no OAuth endpoint: what fails here (a bad X-nugios-timezone) is problem JSON, as on every route
  app.setErrorHandler(errorHandler());
  app.get(
    '/.well-known/openid-configuration',
    {
      schema: {
        tags: ['oauth2'],
        summary: 'OpenID Provider / OAuth 2.0 authorization server metadata',
        response: { 200: Type.Object({ issuer: Type.String(), jwks_uri: Type.String() }, { additionalProperties: true }) },
      },
    },
    async (_request, reply) => {
      const base = core.settings.publicUrl;
      const grants = ['refresh_token', 'client_credentials', TOKEN_EXCHANGE, ...(core.settings.passwordGrant ? ['password'] : [])];
      void reply.header('cache-control', 'public, max-age=300');
      return {
        issuer: core.settings.issuer,
        jwks_uri: `${base}/.well-known/jwks.json`,
        token_endpoint: `${base}/oauth2/token`,
        introspection_endpoint: `${base}/oauth2/introspect`,
        revocation_endpoint: `${base}/oauth2/revoke`,
        grant_types_supported: grants,
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'bearer'],
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        id_token_signing_alg_values_supported: await core.keys.algorithms(),
        token_endpoint_auth_signing_alg_values_supported: await core.keys.algorithms(),
        claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'client_id', 'sid', 'roles', 'accounts', 'username', 'email', 'email_verified', 'locale'],
        service_documentation: `${base}/docs`,
      };
    },
  );
};

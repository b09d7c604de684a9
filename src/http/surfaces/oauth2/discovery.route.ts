import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { AuthorizationServerMetadata, authorizationServerMetadata, metadataPaths } from './metadata.js';

/**
 * The metadata document at both well-known paths: `/.well-known/oauth-authorization-server` (RFC
 * 8414; oauth4webapi's `algorithm: 'oauth2'`) and `/.well-known/openid-configuration` (OIDC
 * discovery, openid-client's default). Both answer the same document, built once per request by
 * {@link authorizationServerMetadata}; it reads no database. These are no OAuth endpoints (RFC
 * 8414 gives them no error format), so what fails here (a bad X-nugios-timezone) is problem JSON,
 * as on every other route: this plugin keeps the default handler, not the OAuth one around it.
 */
export const discoveryRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler());
  const [rfc8414, ...issuerPath] = metadataPaths(core.settings.issuer);
  const documents = [
    { url: '/.well-known/openid-configuration', summary: 'OAuth 2.0 authorization server metadata, where OpenID Connect clients look for it', hide: false },
    { url: rfc8414!, summary: 'OAuth 2.0 authorization server metadata (RFC 8414)', hide: false },
    // RFC 8414 section 3.1 for an issuer with a path: the same document, not listed twice
    ...issuerPath.map((url) => ({ url, summary: 'RFC 8414 metadata at the issuer path', hide: true })),
  ];
  for (const { url, summary, hide } of documents) {
    app.get(
      url,
      {
        schema: {
          tags: ['oauth2'],
          summary,
          description: 'The same document at both well-known paths: the endpoints, the code flow with PKCE S256, scopes, claims and ID token algorithms Tessera implements (docs/oidc.md).',
          hide,
          response: { 200: AuthorizationServerMetadata },
        },
      },
      async (_request, reply) => {
        void reply.header('cache-control', 'public, max-age=300');
        return authorizationServerMetadata(core.settings);
      },
    );
  }
};

import { Type, type Static } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

const Strings = Type.Array(Type.String());

/**
 * RFC 8414 authorization server metadata, exactly the members Tessera can stand behind. No
 * `authorization_endpoint`, so `response_types_supported` (required) is empty; no ID tokens, so no
 * OIDC-only members (`id_token_signing_alg_values_supported`, `subject_types_supported`,
 * `claims_supported`); no PKCE, JWT client authentication or scopes, so none of their members.
 */
export const AuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String(),
    jwks_uri: Type.String(),
    token_endpoint: Type.String(),
    token_endpoint_auth_methods_supported: Strings,
    grant_types_supported: Strings,
    response_types_supported: Strings,
    introspection_endpoint: Type.String(),
    introspection_endpoint_auth_methods_supported: Strings,
    revocation_endpoint: Type.String(),
    revocation_endpoint_auth_methods_supported: Strings,
    service_documentation: Type.String(),
  },
  { description: 'RFC 8414 authorization server metadata (the same document at both well-known paths)' },
);

export type AuthorizationServerMetadata = Static<typeof AuthorizationServerMetadata>;

/**
 * The one metadata document, served as `/.well-known/oauth-authorization-server` (RFC 8414) and
 * `/.well-known/openid-configuration` (where OIDC clients look). `issuer` is the configured issuer
 * as is: oauth4webapi and openid-client compare it with the URL they discovered from.
 *
 * The auth methods are what the endpoints accept (client-auth.ts, introspect-revoke.routes.ts):
 * Basic or body secrets everywhere; `none` where a caller may come without client authentication
 * (the token endpoint's grants other than client_credentials, and revocation, where possession of
 * the token is the proof); and `Bearer` for introspection with an admin's access token (RFC 8414
 * takes values from the OAuth Access Token Types registry there, and `Bearer` is registered).
 */
export function authorizationServerMetadata(settings: Core['settings']): AuthorizationServerMetadata {
  const base = settings.publicUrl;
  return {
    issuer: settings.issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    grant_types_supported: ['refresh_token', 'client_credentials', TOKEN_EXCHANGE, ...(settings.passwordGrant ? ['password'] : [])],
    response_types_supported: [],
    introspection_endpoint: `${base}/oauth2/introspect`,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'Bearer'],
    revocation_endpoint: `${base}/oauth2/revoke`,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    service_documentation: `${base}/docs`,
  };
}

/**
 * Where RFC 8414 section 3.1 puts the metadata of `issuer`: the well-known path, then the
 * issuer's own path when it has one (`https://host/tenant` -> `/.well-known/oauth-authorization-server/tenant`).
 */
export function metadataPaths(issuer: string): string[] {
  const root = '/.well-known/oauth-authorization-server';
  const path = new URL(issuer).pathname.replace(/\/+$/, '');
  return path ? [root, `${root}${path}`] : [root];
}

import { Type, type Static } from '@fastify/type-provider-typebox';
import { OIDC_SCOPES, SUPPORTED_CLAIMS } from '../../../core/clients/scopes.js';
import type { Core } from '../../../core/tessera.js';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

const Strings = Type.Array(Type.String());

/**
 * RFC 8414 / OpenID Connect Discovery 1.0 metadata, exactly the members Tessera can stand
 * behind: the code flow with PKCE S256 only (`response_types_supported: ["code"]`, query
 * response mode, `iss` in the response per RFC 9207), ID tokens signed with the signing key's
 * algorithm, public subjects, userinfo, RP-initiated logout, and the scopes and claims that map to
 * a user record. No request objects, no claims parameter, no JWT client authentication: their
 * members say false or are absent.
 */
export const AuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String(),
    authorization_endpoint: Type.String(),
    token_endpoint: Type.String(),
    userinfo_endpoint: Type.String(),
    end_session_endpoint: Type.String(),
    jwks_uri: Type.String(),
    scopes_supported: Strings,
    response_types_supported: Strings,
    response_modes_supported: Strings,
    grant_types_supported: Strings,
    code_challenge_methods_supported: Strings,
    subject_types_supported: Strings,
    id_token_signing_alg_values_supported: Strings,
    claims_supported: Strings,
    prompt_values_supported: Strings,
    authorization_response_iss_parameter_supported: Type.Boolean(),
    claims_parameter_supported: Type.Boolean(),
    request_parameter_supported: Type.Boolean(),
    request_uri_parameter_supported: Type.Boolean(),
    token_endpoint_auth_methods_supported: Strings,
    introspection_endpoint: Type.String(),
    introspection_endpoint_auth_methods_supported: Strings,
    revocation_endpoint: Type.String(),
    revocation_endpoint_auth_methods_supported: Strings,
    service_documentation: Type.String(),
  },
  { description: 'RFC 8414 / OpenID Connect Discovery metadata (the same document at both well-known paths)' },
);

export type AuthorizationServerMetadata = Static<typeof AuthorizationServerMetadata>;

/**
 * The one metadata document, served as `/.well-known/oauth-authorization-server` (RFC 8414) and
 * `/.well-known/openid-configuration` (where OIDC clients look). `issuer` is the configured issuer
 * as is: oauth4webapi and openid-client compare it with the URL they discovered from.
 *
 * The auth methods are what the endpoints accept (client-auth.ts, introspect-revoke.routes.ts):
 * Basic or body secrets everywhere; `none` where a caller may come without client authentication
 * (public clients of the code flow, the token endpoint's grants other than client_credentials, and
 * revocation, where possession of the token is the proof); and `Bearer` for introspection with an
 * admin's access token (RFC 8414 takes values from the OAuth Access Token Types registry there,
 * and `Bearer` is registered).
 */
export function authorizationServerMetadata(settings: Core['settings']): AuthorizationServerMetadata {
  const base = settings.publicUrl;
  return {
    issuer: settings.issuer,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userinfo`,
    end_session_endpoint: `${base}/oauth2/logout`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: [...OIDC_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', TOKEN_EXCHANGE, ...(settings.passwordGrant ? ['password'] : [])],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [settings.signingAlgorithm],
    claims_supported: SUPPORTED_CLAIMS,
    prompt_values_supported: ['none', 'login', 'consent'],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
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

/**
 * The JWT kinds Tessera signs, told apart by the `typ` header (RFC 8725 section 3.11) and by
 * their audience, so that one can never stand in for another, also at a resource server that
 * checks only issuer and audience. docs/tokens.md describes each.
 */

/** RFC 9068 access tokens: every login surface, refresh, exchange, client_credentials. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/** The password-change-only token an expired password buys. */
export const RESTRICTED_TOKEN_TYP = 'pwd-change+jwt';

/** The audience of the restricted token: the one endpoint that accepts it. */
export function restrictedAudience(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/v1/user/password/change`;
}

/**
 * `amr` of a token bought with an API key (POST /v1/auth/token): it keeps the key's limits (no
 * key management, no password change, no admin API) through every refresh.
 */
export const API_KEY_AMR = 'api_key';

/**
 * `client_id` of tokens from Tessera's own login surfaces (RFC 9068 requires one); an OAuth
 * client's tokens carry that client's id instead.
 */
export const FIRST_PARTY_CLIENTS = {
  native: 'tessera-native',
  integration: 'tessera-integration',
  'auth-headers': 'tessera-auth-headers',
  iot: 'tessera-iot',
  oauth2: 'tessera-oauth2',
  admin: 'tessera-admin',
  /** The browser session of the sign-in and account pages (no tokens of its own). */
  account: 'tessera-account',
} as const;

export type FirstPartySurface = keyof typeof FIRST_PARTY_CLIENTS;

/** The client name of a surface; an unknown surface is the native API's. */
export function firstPartyClient(surface: string | undefined): string {
  return surface !== undefined && surface in FIRST_PARTY_CLIENTS ? FIRST_PARTY_CLIENTS[surface as FirstPartySurface] : FIRST_PARTY_CLIENTS.native;
}

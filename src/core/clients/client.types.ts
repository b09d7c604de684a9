export type ClientGrantType =
  | 'client_credentials'
  | 'refresh_token'
  | 'password'
  | 'urn:ietf:params:oauth:grant-type:token-exchange'
  | 'authorization_code';

/**
 * How a client authenticates at the token endpoint (RFC 7591 `token_endpoint_auth_method`):
 * `none` is a public client (a single-page or native app: no secret, PKCE is its proof);
 * the other two are confidential clients with a secret, sent one way only.
 */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** A registered OAuth client: confidential (it has a secret) or public (`none`, no secret). */
export interface OAuthClient {
  id: string;
  name: string;
  /** SHA-256 of the 256-bit random secret, shown once at registration; null for a public client. */
  secretHash: string | null;
  grantTypes: ClientGrantType[];
  /** Roles a client_credentials token carries. */
  roles: string[];
  /** Where /oauth2/authorize may send the browser back: exact match (loopback ports may vary). */
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser afterwards: exact match. */
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** The scopes an authorization request of this client may ask for. */
  scopes: string[];
  /** Whether a person is asked before this client gets their data (false: first-party). */
  consentRequired: boolean;
  createdAt: number;
}

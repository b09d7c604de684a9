export type ClientGrantType = 'client_credentials' | 'refresh_token' | 'password' | 'urn:ietf:params:oauth:grant-type:token-exchange';

/** A registered OAuth client (confidential: it has a secret). */
export interface OAuthClient {
  id: string;
  name: string;
  /** SHA-256 of the 256-bit random secret; the secret is shown once, at registration. */
  secretHash: string;
  grantTypes: ClientGrantType[];
  /** Roles a client_credentials token carries. */
  roles: string[];
  createdAt: number;
}

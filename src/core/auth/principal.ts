import type { OAuthClient } from '../clients/client.types.js';
import type { AccountClaim } from '../tokens/token.types.js';
import type { User } from '../users/user.types.js';

/** How the caller proved who they are. */
export type CredentialKind =
  /** An RFC 9068 access token from a login, a refresh or an exchange. */
  | 'access_token'
  /** The password-change-only token of an expired password. */
  | 'restricted'
  /** An API key itself (seed 001). */
  | 'api_key';

/**
 * A user a verified credential speaks for, with the user row read once for the whole request
 * (the authenticator read it to check the user is still active; handlers use it, not a re-read).
 */
export interface UserPrincipal {
  subject: 'user';
  user: User;
  userId: string;
  credential: CredentialKind;
  /** An API key, or a token bought with one: it keeps the key's limits (policy.ts). */
  viaApiKey: boolean;
  /** The token's roles (an API key: the user's current ones). */
  roles: string[];
  accounts: AccountClaim[];
  /** The session the token belongs to; null for an API key itself. */
  sessionId: string | null;
  /** The API key presented; null for tokens. */
  apiKeyId: string | null;
  /** RFC 9068 `client_id` of the token (first-party surface name or OAuth client). */
  clientId: string;
  tokenId: string;
  expiresAt: number;
}

/** An OAuth client speaking for itself with a client_credentials token. */
export interface ClientPrincipal {
  subject: 'client';
  client: OAuthClient;
  /** The client's id (the token's `sub`), so audit records name the actor. */
  userId: string;
  credential: 'access_token';
  viaApiKey: false;
  roles: string[];
  clientId: string;
  tokenId: string;
  expiresAt: number;
}

/** Who a verified credential speaks for, as every surface sees it. */
export type Principal = UserPrincipal | ClientPrincipal;

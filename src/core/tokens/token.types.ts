/** The `accounts` claim: the user's memberships as they stood when the token was signed. */
export interface AccountClaim {
  id: string;
  role: string;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresAt: number;
  /** Lifetime in seconds, for `expires_in`. */
  expiresIn: number;
}

/** The decoded form of one of our tokens (seed 003's tokenInfo). */
export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * What a verified Tessera JWT says, before the database has been asked whether its subject,
 * session and client are still current (the authenticator does that).
 */
export interface VerifiedToken {
  /** `access`: an RFC 9068 access token; `restricted`: the password-change-only token. */
  kind: 'access' | 'restricted';
  /** The user id, or for client_credentials tokens the client id. */
  subject: string;
  /** True for client_credentials tokens: the subject is an OAuth client. */
  clientSubject: boolean;
  /** RFC 9068 `client_id`: the OAuth client, or the first-party surface's documented name. */
  clientId: string;
  /** The session the token belongs to (`sid`); null only for client_credentials tokens. */
  sessionId: string | null;
  roles: string[];
  accounts: AccountClaim[];
  /** The token was bought with an API key and keeps the key's limits. */
  viaApiKey: boolean;
  tokenId: string;
  expiresAt: number;
  /** The `kid` of the signing key that signed it. */
  keyId: string;
}

/** How a token is to be issued for a user: the session it belongs to and who asked. */
export interface UserTokenOptions {
  sessionId: string;
  clientId: string;
  ttlSeconds?: number | undefined;
  viaApiKey?: boolean | undefined;
}

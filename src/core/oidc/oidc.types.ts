/**
 * An authorization code of the OpenID Connect code flow, as stored: the code itself never is,
 * only its SHA-256. Single use: `usedAt` is set by the one redemption that wins, and a later
 * presentation sets `reusedAt` and revokes the session the first one started (RFC 9700 4.2.1).
 */
export interface AuthorizationCodeRecord {
  codeHash: string;
  clientId: string;
  userId: string;
  /** The redirect URI of the authorization request, which the token request must repeat. */
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  /** PKCE S256 challenge: BASE64URL(SHA-256(code_verifier)). */
  codeChallenge: string;
  /** When the person last proved who they are (epoch ms): the ID token's `auth_time`. */
  authTime: number;
  /** How they proved it (RFC 8176 values, e.g. `pwd`). */
  amr: string[];
  /** The browser session the code was issued in: the ID token's `sid`. */
  browserSessionId: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  /** The session (refresh family) the redemption started; what a reuse revokes. */
  issuedSessionId: string | null;
  reusedAt: number | null;
}

/** What a person allowed a client: remembered per user and client, covering these scopes. */
export interface ConsentRecord {
  userId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

/**
 * What the tokens of a session started by the code flow may show: its scopes (userinfo reads
 * them) and the sign-in they came from (for ID tokens on refresh and for logout).
 */
export interface OidcGrantRecord {
  sessionId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  authTime: number;
  amr: string[];
  browserSessionId: string | null;
  createdAt: number;
}

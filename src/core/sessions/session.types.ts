/** A refresh-token family: one login and every token rotated from it. */
export interface Session {
  id: string;
  userId: string;
  /** Which surface or grant started it, e.g. `native`, `integration`. */
  client: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
  lastUsedAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
  /**
   * The session's absolute end: a refresh family is not rotated past it (REFRESH_ABSOLUTE_TTL);
   * a session without refresh token ends with its access token. Null for sessions from before.
   */
  expiresAt: number | null;
  /** The API key that bought this session; deleting the key ends it. */
  apiKeyId: string | null;
}

export interface RefreshTokenRecord {
  id: string;
  sessionId: string;
  userId: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

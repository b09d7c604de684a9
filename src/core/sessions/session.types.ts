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

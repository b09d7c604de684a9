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

export interface RequestContext {
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  requestId?: string | undefined;
  /** The surface that received the request, e.g. `native`. */
  surface?: string | undefined;
  /** Who made the request, when it was authenticated (an admin acting on another user, say). */
  actorId?: string | undefined;
}

import type { Session } from './session.types.js';

/** A session is live until it is revoked or reaches its absolute end. */
export function isLive(session: Session, now: number): boolean {
  return session.revokedAt === null && (session.expiresAt === null || session.expiresAt > now);
}

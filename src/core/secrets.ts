/** Random secrets, their storage hashes and constant-time comparison, in one place. */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A URL-safe random string carrying `bytes * 8` bits of entropy. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function newId(): string {
  return randomUUID();
}

/**
 * Storage hash for high-entropy secrets (refresh tokens, reset codes, API keys). A fast hash is
 * right here: the secrets are random, so there is nothing to brute-force, and lookups stay O(1).
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

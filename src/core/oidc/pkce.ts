import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../secrets.js';

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** An S256 challenge is BASE64URL(SHA-256(verifier)): 43 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isS256Challenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/**
 * RFC 7636 section 4.6 for S256 (the only method Tessera takes): the verifier's hash equals the
 * stored challenge, compared in constant time. A missing or malformed verifier never matches.
 */
export function verifierMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  return constantTimeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}

import type { VerifiedToken } from './token.types.js';

/** Most verified tokens kept per process: about 1.5 KB each, so some 15 MB at the cap. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

interface Entry {
  verified: VerifiedToken;
  /** The key that signed it: a hit counts only while that key is still one of ours. */
  kid: string;
}

/**
 * The signature checks already done, keyed by the whole token (every byte of it: a token that
 * differs anywhere misses), so a token presented again skips the signature verification. Only
 * what the signature proves is kept, never whether the session, user or client is still current:
 * the authenticator reads those for every request, so revocation needs no invalidation here.
 * An entry ends with its token (`exp`) and when its signing key leaves the key set; past
 * `maxEntries` the least recently used entry is dropped.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = VERIFIED_TOKEN_CACHE_SIZE) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new Error('maxEntries must be a non-negative integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached verification of `token` if it is unexpired at `now`; an expired entry is dropped. */
  get(token: string, now: number): Entry | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.verified.expiresAt <= now) return undefined;
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, verified: VerifiedToken, kid: string): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { verified, kid });
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}

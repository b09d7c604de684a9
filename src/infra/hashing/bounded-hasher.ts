import { AuthError } from '../../core/errors.js';
import type { PasswordHasher } from '../../core/ports.js';

export interface BoundedHasherOptions {
  /** Hashes computed at once (each takes a thread of libuv's pool). */
  concurrency: number;
  /** Hashes allowed to wait for a free slot; one more is refused at once. */
  queue: number;
}

/**
 * Load shedding for password hashing, the one costly step of a login: at most `concurrency`
 * hashes run and `queue` wait; past that a login answers 503 with Retry-After at once instead of
 * waiting seconds behind the others (and holding memory for each). Every hash and verification
 * counts, the dummy verification for unknown users included, so a refusal says nothing about
 * the account.
 */
export class BoundedHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly options: BoundedHasherOptions,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error('concurrency must be a positive integer');
    if (!Number.isInteger(options.queue) || options.queue < 0) throw new Error('queue must be a non-negative integer');
  }

  /** Hashes running and waiting now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => this.inner.hash(password));
  }

  verify(stored: string, password: string): Promise<boolean> {
    return this.bounded(() => this.inner.verify(stored, password));
  }

  needsRehash(stored: string): boolean {
    return this.inner.needsRehash(stored);
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.queue) {
        throw new AuthError('unavailable', 'too many password checks under way; try again shortly', { extra: { retryAfter: 1 } });
      }
      // The slot is handed over by the finishing hash (running stays the same).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

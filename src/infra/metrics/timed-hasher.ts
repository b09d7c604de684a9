import type { Histogram } from 'prom-client';
import type { PasswordHasher } from '../../core/ports.js';

/**
 * A PasswordHasher that times the real one: `hash` and `verify` are observed in
 * `tessera_password_hash_duration_seconds{operation}`, failures included. The core sees only the
 * port, so it neither knows nor cares that it is measured.
 */
export class TimedHasher implements PasswordHasher {
  constructor(
    private readonly inner: PasswordHasher,
    private readonly duration: Histogram<'operation'>,
  ) {}

  hash(password: string): Promise<string> {
    return this.timed('hash', () => this.inner.hash(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.timed('verify', () => this.inner.verify(hash, password));
  }

  needsRehash(hash: string): boolean {
    return this.inner.needsRehash(hash);
  }

  private async timed<T>(operation: 'hash' | 'verify', work: () => Promise<T>): Promise<T> {
    const end = this.duration.startTimer({ operation });
    try {
      return await work();
    } finally {
      end();
    }
  }
}

import type { ThrottleState, ThrottleStore } from '../../core/throttle/throttle-store.js';

export interface FallbackThrottleOptions {
  /** How long one call to the shared store may take before it counts as down. */
  timeoutMs: number;
  /** While the shared store is down, how often one call tries it again. */
  retryMs: number;
  /** The shared store failed: told once per outage. */
  onDown(error: unknown): void;
  /** The shared store answers again. */
  onUp(): void;
  /** Real time for the retry schedule (the core's clock may be a test's). */
  now?: () => number;
}

/**
 * Shared counters (Redis) with this process's own as the fallback: when the shared store fails or
 * is slow, counting goes on locally (throttling never fails open), and a call every `retryMs`
 * tries the shared store again, so it recovers without a restart. Counts made locally during an
 * outage stay local: an attacker gains at most the free attempts once more per instance.
 */
export class FallbackThrottleStore implements ThrottleStore {
  private down = false;
  private lastTry = 0;
  private readonly now: () => number;

  constructor(
    private readonly shared: ThrottleStore,
    private readonly local: ThrottleStore,
    private readonly options: FallbackThrottleOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Whether calls go to the local counters now (for tests and metrics). */
  get degraded(): boolean {
    return this.down;
  }

  hit(key: string, now: number, ttlMs: number): Promise<ThrottleState> {
    return this.use((store) => store.hit(key, now, ttlMs));
  }

  peek(key: string, now: number): Promise<ThrottleState | undefined> {
    return this.use((store) => store.peek(key, now));
  }

  clear(key: string): Promise<void> {
    return this.use((store) => store.clear(key));
  }

  private async use<T>(call: (store: ThrottleStore) => Promise<T>): Promise<T> {
    if (this.down && this.now() - this.lastTry < this.options.retryMs) return call(this.local);
    this.lastTry = this.now();
    try {
      const result = await this.withTimeout(call(this.shared));
      if (this.down) {
        this.down = false;
        this.options.onUp();
      }
      return result;
    } catch (error) {
      if (!this.down) {
        this.down = true;
        this.options.onDown(error);
      }
      return call(this.local);
    }
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    // A late answer (or failure) of the abandoned call must not surface as an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

import type { ThrottleState, ThrottleStore } from '../../core/throttle/throttle-store.js';

/** Expired counters are swept every this many hits (besides on read). */
const SWEEP_EVERY = 1_000;

export interface MemoryThrottleStoreOptions {
  /** Most counters held at once (THROTTLE_MAX_KEYS); past it the least recently hit is evicted. */
  maxKeys: number;
}

interface Counter extends ThrottleState {
  expiresAt: number;
}

/**
 * Throttle counters in this process's memory (one instance; Redis is for several). The map is
 * kept in order of last hit, so when it is full the counter evicted is the one hit longest ago:
 * with one window that is also the first to expire. Eviction forgets a count early, which a
 * caller needs about `maxKeys` fresh keys to cause; the cap keeps memory bounded whatever comes.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly counters = new Map<string, Counter>();
  private hits = 0;

  constructor(private readonly options: MemoryThrottleStoreOptions) {
    if (!Number.isInteger(options.maxKeys) || options.maxKeys < 1) throw new Error('maxKeys must be a positive integer');
  }

  /** Counters held now (for tests and metrics). */
  get size(): number {
    return this.counters.size;
  }

  async hit(key: string, now: number, ttlMs: number): Promise<ThrottleState> {
    if (++this.hits % SWEEP_EVERY === 0) this.sweep(now);
    const live = this.live(key, now);
    // delete and set again: the map's first entry stays the one hit longest ago
    this.counters.delete(key);
    if (!live) this.makeRoom();
    const state: Counter = { count: (live?.count ?? 0) + 1, firstAt: live?.firstAt ?? now, lastAt: now, expiresAt: now + ttlMs };
    this.counters.set(key, state);
    return { count: state.count, firstAt: state.firstAt, lastAt: state.lastAt };
  }

  async peek(key: string, now: number): Promise<ThrottleState | undefined> {
    const state = this.live(key, now);
    return state && { count: state.count, firstAt: state.firstAt, lastAt: state.lastAt };
  }

  async clear(key: string): Promise<void> {
    this.counters.delete(key);
  }

  private live(key: string, now: number): Counter | undefined {
    const state = this.counters.get(key);
    if (state && state.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return state;
  }

  private makeRoom(): void {
    for (const key of this.counters.keys()) {
      if (this.counters.size < this.options.maxKeys) return;
      this.counters.delete(key);
    }
  }

  private sweep(now: number): void {
    for (const [key, state] of this.counters) if (state.expiresAt <= now) this.counters.delete(key);
  }
}

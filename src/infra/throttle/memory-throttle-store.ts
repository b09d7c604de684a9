import type { ThrottleState, ThrottleStore } from '../../core/throttle/throttle-store.js';

const SWEEP_EVERY = 1_000;

/** Throttle counters in this process's memory (one instance; Redis is for several). */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly counters = new Map<string, ThrottleState & { expiresAt: number }>();
  private hits = 0;

  async hit(key: string, now: number, ttlMs: number): Promise<ThrottleState> {
    if (++this.hits % SWEEP_EVERY === 0) this.sweep(now);
    const live = await this.peek(key, now);
    const state = { count: (live?.count ?? 0) + 1, firstAt: live?.firstAt ?? now, lastAt: now, expiresAt: now + ttlMs };
    this.counters.set(key, state);
    return { count: state.count, firstAt: state.firstAt, lastAt: state.lastAt };
  }

  async peek(key: string, now: number): Promise<ThrottleState | undefined> {
    const state = this.counters.get(key);
    if (!state) return undefined;
    if (state.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return { count: state.count, firstAt: state.firstAt, lastAt: state.lastAt };
  }

  async clear(key: string): Promise<void> {
    this.counters.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, state] of this.counters) if (state.expiresAt <= now) this.counters.delete(key);
  }
}

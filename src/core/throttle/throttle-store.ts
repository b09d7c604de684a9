/** One counter's state: how many hits, the first and the last. */
export interface ThrottleState {
  count: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Counters for throttling, shared by every instance that uses the same store (memory for one
 * process; Redis when several instances run behind a load balancer).
 */
export interface ThrottleStore {
  /** Adds one hit; the counter is forgotten `ttlMs` after its last hit. Answers the new state. */
  hit(key: string, now: number, ttlMs: number): Promise<ThrottleState>;
  peek(key: string, now: number): Promise<ThrottleState | undefined>;
  clear(key: string): Promise<void>;
}

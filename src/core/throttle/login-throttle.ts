import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { RequestContext } from '../context/request-context.js';
import type { ThrottleState, ThrottleStore } from './throttle-store.js';

export interface LoginThrottleOptions {
  /** Failures per username before delays start. */
  accountFreeAttempts: number;
  /** Failures per client IP (across usernames) before delays start. */
  ipFreeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter is forgotten this long after its last failure: the lock expires by itself. */
  windowMs: number;
}

/**
 * Brute-force throttling of password checks with exponential backoff, per username (whether or
 * not it exists, so throttling reveals nothing) and per client IP. Only password logins are
 * throttled: a locked-out user can still reset the password by mail.
 */
export class LoginThrottle {
  /** Attempts that passed `check` and are not decided yet, per counter key (this process only). */
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly store: ThrottleStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: LoginThrottleOptions,
  ) {}

  private keys(usernameKey: string, context: RequestContext) {
    return { account: `login:acct:${usernameKey}`, ip: context.ip ? `login:ip:${context.ip}` : undefined };
  }

  private delay(state: ThrottleState | undefined, free: number): number {
    if (!state || state.count < free) return 0;
    return Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (state.count - free));
  }

  /**
   * When a counter lets the next attempt through. Attempts under way count as failures until
   * they are decided, so a burst of parallel guesses cannot all pass before the first failure is
   * recorded: they get the free attempts (or the one attempt a passed backoff allows), no more.
   */
  private blockedUntil(key: string, state: ThrottleState | undefined, free: number, now: number): number {
    // Only a counter past its free attempts has a backoff: under them, a last failure stamped
    // by an instance whose clock runs ahead (shared counters) must not block this one.
    const delay = this.delay(state, free);
    const backoff = state && delay > 0 ? state.lastAt + delay : 0;
    if (backoff > now) return backoff;
    const pending = this.pending.get(key) ?? 0;
    return pending > 0 && (state?.count ?? 0) + pending >= free ? now + this.options.baseDelayMs : 0;
  }

  /**
   * Throws `rate_limited` (with `retryAfter` seconds) while either counter is in its backoff;
   * otherwise holds the attempt as pending and answers the release to call (in a `finally`)
   * once the attempt has been recorded as failed or succeeded, or has thrown.
   */
  async check(usernameKey: string, context: RequestContext): Promise<() => void> {
    const now = this.clock.now();
    const { account, ip } = this.keys(usernameKey, context);
    const [a, i] = await Promise.all([this.store.peek(account, now), ip ? this.store.peek(ip, now) : undefined]);
    // no await from here on: deciding and holding the attempt are one step
    const until = Math.max(
      this.blockedUntil(account, a, this.options.accountFreeAttempts, now),
      ip ? this.blockedUntil(ip, i, this.options.ipFreeAttempts, now) : 0,
    );
    if (until > now) {
      const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
      throw new AuthError('rate_limited', 'too many failed attempts; try again later', { extra: { retryAfter } });
    }
    const held = ip ? [account, ip] : [account];
    for (const key of held) this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of held) {
        const left = (this.pending.get(key) ?? 1) - 1;
        if (left > 0) this.pending.set(key, left);
        else this.pending.delete(key);
      }
    };
  }

  async failed(usernameKey: string, userId: string | null, context: RequestContext): Promise<void> {
    const now = this.clock.now();
    const { account, ip } = this.keys(usernameKey, context);
    const ttl = Math.max(this.options.windowMs, this.options.maxDelayMs);
    const [a, i] = await Promise.all([this.store.hit(account, now, ttl), ip ? this.store.hit(ip, now, ttl) : undefined]);
    if (a.count === this.options.accountFreeAttempts) {
      await this.audit.record('login.throttled', { userId, outcome: 'failure', context, detail: { scope: 'account' } });
    }
    if (i?.count === this.options.ipFreeAttempts) {
      await this.audit.record('login.throttled', { userId: null, outcome: 'failure', context, detail: { scope: 'ip' } });
    }
  }

  /** A successful login clears the username's counter (not the IP's: one success is no alibi). */
  async succeeded(usernameKey: string, context: RequestContext): Promise<void> {
    await this.store.clear(this.keys(usernameKey, context).account);
  }
}

import type { AuditService } from '../audit/audit.service.js';
import type { AuditEventType } from '../audit/audit.types.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { ThrottleState, ThrottleStore } from './throttle-store.js';

/** One counter a request must fit under: at most `max` requests per window for `key`. */
export interface RequestLimit {
  key: string;
  max: number;
  /** Named in the audit event and nowhere else, e.g. `ip` or `address`. */
  scope: string;
}

/**
 * Counts requests against fixed limits per window (mail per address and per IP, registrations per
 * IP) and refuses the ones over a limit with `rate_limited` and a `Retry-After`.
 *
 * A refused request writes at most one counter: the one it pushes over its limit. Requests after
 * that only read, so a flood of refused requests neither creates counters (one per made-up
 * address) nor extends a window, and the audit event is recorded once, when a counter crosses its
 * limit, not once per refused request.
 */
export class RequestLimiter {
  constructor(
    private readonly store: ThrottleStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  /** Counts one request against every limit, or throws `rate_limited` without counting it. */
  async enforce(limits: readonly RequestLimit[], event: AuditEventType, context: RequestContext, message: string): Promise<void> {
    const now = this.clock.now();
    const states = await Promise.all(limits.map((limit) => this.store.peek(limit.key, now)));
    const over = limits.findIndex((limit, i) => (states[i]?.count ?? 0) > limit.max);
    if (over >= 0) throw this.refusal(states[over]!, now, message);
    // the request that meets a full counter counts on that counter only: it is the crossing one
    const full = limits.find((limit, i) => (states[i]?.count ?? 0) >= limit.max);
    for (const limit of full ? [full] : limits) {
      const state = await this.store.hit(limit.key, now, this.windowMs);
      if (state.count <= limit.max) continue;
      // exactly one request sees max + 1, even when a burst passed the read above together
      if (state.count === limit.max + 1) {
        await this.audit.record(event, { userId: null, outcome: 'failure', context, detail: { scope: limit.scope } });
      }
      throw this.refusal(state, now, message);
    }
  }

  private refusal(state: ThrottleState, now: number, message: string): AuthError {
    const retryAfter = Math.max(1, Math.ceil((state.lastAt + this.windowMs - now) / 1000));
    return new AuthError('rate_limited', message, { extra: { retryAfter } });
  }
}

import type { RequestContext } from '../context/request-context.js';
import type { RequestLimiter } from './request-limiter.js';

/**
 * Limits self-service registrations per client IP: each one costs an argon2 hash, so an open
 * sign-up endpoint is otherwise a CPU lever. `perIp` 0 turns the limit off (bulk tests, imports).
 * Every attempt counts, taken usernames and rejected passwords too.
 */
export class RegistrationThrottle {
  constructor(
    private readonly limiter: RequestLimiter,
    private readonly perIp: number,
  ) {}

  /** Counts one registration attempt from the caller's IP or throws `rate_limited`. */
  async hit(context: RequestContext): Promise<void> {
    if (this.perIp === 0 || !context.ip) return;
    const limits = [{ key: `register:ip:${context.ip}`, max: this.perIp, scope: 'ip' }];
    await this.limiter.enforce(limits, 'registration.throttled', context, 'too many registrations; try again later');
  }
}

import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { RequestContext } from '../context/request-context.js';
import type { ThrottleStore } from './throttle-store.js';

export interface MailThrottleOptions {
  perAddress: number;
  perIp: number;
  windowMs: number;
}

/**
 * Limits mail-sending requests (reset and resend) per address and per client IP. The address
 * counter exists for any address, known or not, so a 429 says nothing about accounts.
 */
export class MailThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: MailThrottleOptions,
  ) {}

  async hit(address: string, context: RequestContext): Promise<void> {
    const now = this.clock.now();
    const { windowMs } = this.options;
    const byAddress = await this.store.hit(`mail:addr:${address}`, now, windowMs);
    const byIp = context.ip ? await this.store.hit(`mail:ip:${context.ip}`, now, windowMs) : undefined;
    const over = byAddress.count > this.options.perAddress ? byAddress : byIp && byIp.count > this.options.perIp ? byIp : undefined;
    if (over) {
      await this.audit.record('mail.throttled', { outcome: 'failure', context, detail: { scope: over === byAddress ? 'address' : 'ip' } });
      const retryAfter = Math.max(1, Math.ceil((over.lastAt + windowMs - now) / 1000));
      throw new AuthError('rate_limited', 'too many mail requests; try again later', { extra: { retryAfter } });
    }
  }
}

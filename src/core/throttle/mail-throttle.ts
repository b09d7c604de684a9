import type { RequestContext } from '../context/request-context.js';
import type { RequestLimiter } from './request-limiter.js';

export interface MailThrottleOptions {
  perAddress: number;
  perIp: number;
}

/**
 * Limits mail-sending requests (reset, resend and email verification) per address and per client
 * IP; every kind of mail counts on the same counters. The address counter exists for any address,
 * known or not, so a 429 says nothing about accounts.
 */
export class MailThrottle {
  constructor(
    private readonly limiter: RequestLimiter,
    private readonly options: MailThrottleOptions,
  ) {}

  /** Counts one mail request for `address` (normalized) or throws `rate_limited`. */
  async hit(address: string, context: RequestContext): Promise<void> {
    const limits = [{ key: `mail:addr:${address}`, max: this.options.perAddress, scope: 'address' }];
    if (context.ip) limits.push({ key: `mail:ip:${context.ip}`, max: this.options.perIp, scope: 'ip' });
    await this.limiter.enforce(limits, 'mail.throttled', context, 'too many mail requests; try again later');
  }
}

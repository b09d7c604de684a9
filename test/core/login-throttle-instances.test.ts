/**
 * Two instances sharing throttle counters (Redis or the database), whose clocks differ by a
 * second or two, as real machines' do: a counter under its free attempts blocks nobody, on either.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../../src/core/audit/audit.service.js';
import { LoginThrottle, type LoginThrottleOptions } from '../../src/core/throttle/login-throttle.js';
import { MemoryThrottleStore } from '../../src/infra/throttle/memory-throttle-store.js';
import { createTestCore } from '../support/test-core.js';
import { TestClock } from '../support/test-clock.js';

const OPTIONS: LoginThrottleOptions = { accountFreeAttempts: 5, ipFreeAttempts: 50, baseDelayMs: 1_000, maxDelayMs: 900_000, windowMs: 900_000 };
const CONTEXT = { ip: '192.0.2.7', userAgent: undefined, requestId: 'r', surface: 'native' } as never;

describe('login throttling across instances with skewed clocks', () => {
  it('a failure recorded by an instance whose clock is ahead does not block the one behind it', async () => {
    const t = await createTestCore();
    try {
      const shared = new MemoryThrottleStore({ maxKeys: 1000 });
      const ahead = new TestClock(t.clock.now() + 2_000);
      const behind = new TestClock(t.clock.now());
      const audit = (clock: TestClock) => new AuditService(t.store.audit, clock, pino({ level: 'silent' }));
      const a = new LoginThrottle(shared, audit(ahead), ahead, OPTIONS);
      const b = new LoginThrottle(shared, audit(behind), behind, OPTIONS);

      (await a.check('alice', CONTEXT))();
      await a.failed('alice', null, CONTEXT);
      // One failure of five free: the instance behind lets the next attempt through.
      const release = await b.check('alice', CONTEXT);
      release();

      // Past the free attempts the backoff holds on both, whatever the skew.
      for (let i = 0; i < 4; i += 1) await a.failed('alice', null, CONTEXT);
      await expect(b.check('alice', CONTEXT)).rejects.toMatchObject({ code: 'rate_limited' });
    } finally {
      await t.close();
    }
  });
});

/**
 * Audit retention: events older than AUDIT_RETENTION_DAYS are deleted at start and then every hour,
 * judged by the hand-moved TestClock; 0 keeps them forever; `tasks.stop()` ends the schedule.
 * The hourly timer is vitest's fake setInterval, so no test waits for it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../src/core/audit/audit.types.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Store } from '../../src/core/ports.js';
import { createTestCore, type TestCore } from '../support/test-core.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

let seq = 0;
function event(at: number): AuditEvent {
  seq += 1;
  return { id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, at, type: 'login.failed', userId: null, outcome: 'failure', ip: null, requestId: null, detail: {} };
}

async function ages(store: Store, now: number): Promise<number[]> {
  const events = await store.audit.list({ limit: 1_000 });
  return events.filter((e) => e.type === 'login.failed').map((e) => Math.round((now - e.at) / DAY));
}

const open: TestCore[] = [];
async function core(setup: Parameters<typeof createTestCore>[0] = {}): Promise<TestCore> {
  const made = await createTestCore(setup);
  open.push(made);
  return made;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(async () => {
  for (const made of open.splice(0).reverse()) await made.close();
  vi.useRealTimers();
});

describe('audit retention', () => {
  it('prunes what is older than the retention at start', async () => {
    const first = await core();
    const now = first.clock.now();
    for (const age of [400, 91, 89, 0]) await first.store.audit.insert(event(now - age * DAY));
    const second = await core({ sharing: first });
    await second.core.tasks.drain();
    expect(await ages(first.store, now)).toEqual([0, 89]);
  });

  it('prunes again every hour, judged by the clock', async () => {
    const t = await core();
    await t.core.tasks.drain();
    const start = t.clock.now();
    for (const age of [0, 30, 60]) await t.store.audit.insert(event(start - age * DAY));
    t.clock.advance(45 * DAY);
    vi.advanceTimersByTime(HOUR - 1);
    await t.core.tasks.drain();
    expect(await ages(t.store, start)).toEqual([0, 30, 60]);
    vi.advanceTimersByTime(1);
    await t.core.tasks.drain();
    expect(await ages(t.store, start)).toEqual([0, 30]);
    t.clock.advance(30 * DAY);
    vi.advanceTimersByTime(HOUR);
    await t.core.tasks.drain();
    expect(await ages(t.store, start)).toEqual([0]);
  });

  it('stops with tasks.stop()', async () => {
    const t = await core();
    t.core.tasks.stop();
    await t.store.audit.insert(event(t.clock.now() - 100 * DAY));
    vi.advanceTimersByTime(10 * HOUR);
    await t.core.tasks.drain();
    expect(await ages(t.store, t.clock.now())).toEqual([100]);
  });

  it('keeps every event when the retention is 0', async () => {
    const t = await core({ options: { auditRetentionDays: 0 } });
    await t.store.audit.insert(event(t.clock.now() - 3_650 * DAY));
    vi.advanceTimersByTime(24 * HOUR);
    await t.core.tasks.drain();
    expect(await ages(t.store, t.clock.now())).toEqual([3_650]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('AUDIT_RETENTION_DAYS defaults to 90; 0 means forever', () => {
    expect(loadConfig({}).config.AUDIT_RETENTION_DAYS).toBe(90);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '0' }).config.AUDIT_RETENTION_DAYS).toBe(0);
  });
});

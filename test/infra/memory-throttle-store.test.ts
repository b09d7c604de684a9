/**
 * The in-memory throttle store is bounded: past THROTTLE_MAX_KEYS counters the least recently hit
 * is evicted (with one window, the first to expire), expired counters go first on their own, and
 * a counter that keeps being hit survives a flood of new keys.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { MemoryThrottleStore } from '../../src/infra/throttle/memory-throttle-store.js';

const T0 = 1_700_000_000_000;
const WINDOW = 900_000;

describe('MemoryThrottleStore', () => {
  it('never holds more than maxKeys counters, evicting the least recently hit', async () => {
    const store = new MemoryThrottleStore({ maxKeys: 1_000 });
    await store.hit('victim', T0, WINDOW);
    for (let i = 0; i < 5_000; i++) {
      await store.hit(`flood-${i}`, T0 + i, WINDOW);
      if (i % 500 === 0) await store.hit('victim', T0 + i, WINDOW); // kept warm: moves to the back
      expect(store.size).toBeLessThanOrEqual(1_000);
    }
    expect(store.size).toBe(1_000);
    expect(await store.peek('victim', T0 + 5_000)).toMatchObject({ count: 11 });
    expect(await store.peek('flood-0', T0 + 5_000)).toBeUndefined();
    expect(await store.peek('flood-4999', T0 + 5_000)).toMatchObject({ count: 1 });
  });

  it('drops expired counters before it needs to evict', async () => {
    const store = new MemoryThrottleStore({ maxKeys: 1_000 });
    for (let i = 0; i < 999; i++) await store.hit(`old-${i}`, T0, WINDOW);
    // 1,000 hits later every expired counter is swept, so nothing live had to be evicted
    for (let i = 0; i < 500; i++) await store.hit(`new-${i}`, T0 + WINDOW, WINDOW);
    expect(store.size).toBe(500);
    expect(await store.peek('new-0', T0 + WINDOW)).toMatchObject({ count: 1 });
  });

  it('keeps counting a hit key whatever its place', async () => {
    const store = new MemoryThrottleStore({ maxKeys: 1_000 });
    for (let i = 1; i <= 3; i++) expect(await store.hit('k', T0 + i, WINDOW)).toEqual({ count: i, firstAt: T0 + 1, lastAt: T0 + i });
    await store.clear('k');
    expect(await store.peek('k', T0 + 4)).toBeUndefined();
  });

  it('takes its cap from THROTTLE_MAX_KEYS, 100,000 by default, at least 1,000', () => {
    expect(loadConfig({}).config.THROTTLE_MAX_KEYS).toBe(100_000);
    expect(loadConfig({ THROTTLE_MAX_KEYS: '2000' }).config.THROTTLE_MAX_KEYS).toBe(2_000);
    expect(() => loadConfig({ THROTTLE_MAX_KEYS: '10' })).toThrow(/THROTTLE_MAX_KEYS/);
  });
});

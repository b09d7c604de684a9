import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FallbackThrottleStore } from '../../src/infra/throttle/fallback-throttle-store.js';
import { MemoryThrottleStore } from '../../src/infra/throttle/memory-throttle-store.js';
import { RedisThrottleStore } from '../../src/infra/throttle/redis-throttle-store.js';
import { REDIS_REQUIRED, redisUnavailable, TEST_REDIS_URL, testRedisPrefix } from '../support/redis.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const unavailable = await redisUnavailable();
if (unavailable && !REDIS_REQUIRED) console.warn(`skipping the Redis throttle tests: ${unavailable}`);

const T0 = 1_700_000_000_000;

describe.skipIf(unavailable !== undefined && !REDIS_REQUIRED)('throttle counters in a real Redis', () => {
  const prefix = testRedisPrefix();
  const opened: RedisThrottleStore[] = [];
  const open = async (url = TEST_REDIS_URL) => {
    const store = await RedisThrottleStore.connect({ url, prefix });
    opened.push(store);
    return store;
  };
  let raw: ReturnType<typeof createClient>;

  beforeAll(async () => {
    if (unavailable) throw new Error(`Redis required in CI: ${unavailable}`);
    raw = createClient({ url: TEST_REDIS_URL });
    await raw.connect();
  });
  afterEach(async () => {
    while (opened.length > 0) await opened.pop()!.close();
  });
  afterAll(async () => {
    if (!raw) return;
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(keys);
    await raw.close();
  });

  it('counts hits with the first and last time, and forgets the counter ttl after the last hit', async () => {
    const store = await open();
    expect(await store.peek('a')).toBeUndefined();
    expect(await store.hit('a', T0, 60_000)).toEqual({ count: 1, firstAt: T0, lastAt: T0 });
    expect(await store.hit('a', T0 + 5, 60_000)).toEqual({ count: 2, firstAt: T0, lastAt: T0 + 5 });
    expect(await store.peek('a')).toEqual({ count: 2, firstAt: T0, lastAt: T0 + 5 });
    const ttl = await raw.pTTL(`${prefix}a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.clear('a');
    expect(await store.peek('a')).toBeUndefined();
  });

  it('is shared: two connections (two instances) count on one counter, atomically', async () => {
    const [a, b] = [await open(), await open()];
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).hit('shared', T0 + i, 60_000)));
    expect(await a.peek('shared')).toMatchObject({ count: 50, firstAt: expect.any(Number) });
    expect((await b.peek('shared'))?.count).toBe(50);
  });

  describe('when Redis goes away', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      const { hostname, port } = new URL(TEST_REDIS_URL);
      proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    });
    afterAll(async () => {
      await proxy?.close();
    });

    it('counts on locally (never fails open), says so once, and goes back to Redis when it returns', async () => {
      const shared = await open(`redis://127.0.0.1:${proxy.port}`);
      const events: string[] = [];
      const store = new FallbackThrottleStore(shared, new MemoryThrottleStore({ maxKeys: 100 }), {
        timeoutMs: 1_000,
        retryMs: 0,
        onDown: () => events.push('down'),
        onUp: () => events.push('up'),
      });
      expect((await store.hit('k', T0, 60_000)).count).toBe(1);
      expect(store.degraded).toBe(false);

      await proxy.cut();
      // Each answer comes from somewhere: the local counters count from their own start.
      expect((await store.hit('k', T0 + 1, 60_000)).count).toBe(1);
      expect((await store.hit('k', T0 + 2, 60_000)).count).toBe(2);
      expect((await store.peek('k', T0 + 3))?.count).toBe(2);
      expect(store.degraded).toBe(true);
      expect(events).toEqual(['down']);

      await proxy.restore();
      // The signal: the client reconnected (its own backoff), then a call reaches Redis again.
      // Each try yields to the event loop, where the reconnection happens.
      while (store.degraded) {
        await new Promise((resolve) => setImmediate(resolve));
        await store.peek('k', T0 + 4);
      }
      expect(events).toEqual(['down', 'up']);
      expect((await store.hit('k', T0 + 5, 60_000)).count).toBe(2);
    });
  });
});

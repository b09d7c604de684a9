import type { Logger } from 'pino';
import type { ThrottleStore } from '../../core/throttle/throttle-store.js';
import { FallbackThrottleStore } from './fallback-throttle-store.js';
import { MemoryThrottleStore } from './memory-throttle-store.js';

export interface OpenedThrottleStore {
  store: ThrottleStore;
  close(): Promise<void>;
}

export interface ThrottleStoreChoice {
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  maxKeys: number;
  /** Counters in the shared database, when other processes use it too (PostgreSQL, WORKERS > 1). */
  database: ThrottleStore | undefined;
}

/**
 * The throttle counters: in Redis when REDIS_URL is set (shared by every instance and worker),
 * with this process's memory as the fallback while Redis is unreachable; else in the database
 * when it is shared; else in this process's memory. The URL is never logged (it may hold a
 * password).
 */
export async function openThrottleStore(options: ThrottleStoreChoice, logger: Logger): Promise<OpenedThrottleStore> {
  const local = new MemoryThrottleStore({ maxKeys: options.maxKeys });
  if (!options.redisUrl) {
    return options.database
      ? { store: options.database, close: async () => undefined }
      : { store: local, close: async () => undefined };
  }
  // The Redis client is loaded only when REDIS_URL is set.
  const { RedisThrottleStore } = await import('./redis-throttle-store.js');
  const redis = await RedisThrottleStore.connect({
    url: options.redisUrl,
    prefix: `${options.redisKeyPrefix}throttle:`,
    onError: (error) => logger.warn({ err: { message: error.message } }, 'Redis is not reachable; throttle counters are kept in this process until it is'),
    onReady: () => logger.info('Redis connected: throttle counters are shared'),
  });
  const store = new FallbackThrottleStore(redis, local, {
    timeoutMs: 500,
    retryMs: 1_000,
    onDown: (error) =>
      logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'Redis failed a throttle call; counting in this process'),
    onUp: () => logger.info('Redis answers again: throttle counters are shared again'),
  });
  return { store, close: () => redis.close() };
}

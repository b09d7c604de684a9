import { createClient } from 'redis';
import type { ThrottleState, ThrottleStore } from '../../core/throttle/throttle-store.js';

/**
 * One hit, atomically: count + 1 (from 1 when the counter had expired), first hit kept, last hit
 * set, and the expiry moved to `ttl` after this hit. Answers count, first, last.
 */
const HIT = `
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
if count == 1 then redis.call('HSET', KEYS[1], 'first', ARGV[1]) end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { count, redis.call('HGET', KEYS[1], 'first'), ARGV[1] }
`;

export interface RedisThrottleOptions {
  url: string;
  /** Prefixed to every key, so one Redis can serve several installations. */
  prefix?: string;
  /** The connection failed (once per outage; the client reconnects by itself). */
  onError?: (error: Error) => void;
  /** The connection is ready (at start, and after each outage). */
  onReady?: () => void;
}

/**
 * Throttle counters in Redis, shared by every instance and worker that uses the same Redis. A
 * counter is a hash (`count`, `first`, `last`) whose key expires `ttl` after the last hit, so
 * Redis forgets it by itself. Commands fail at once while the connection is down (no offline
 * queue): the caller falls back to local counters instead of waiting.
 */
export class RedisThrottleStore implements ThrottleStore {
  private constructor(
    private readonly client: ReturnType<typeof createClient>,
    private readonly prefix: string,
  ) {}

  /**
   * Connects, answering once Redis is ready or the first attempt has failed (then the client
   * keeps reconnecting by itself, and commands fail at once until it is back). `onError` hears
   * the first failure of each outage, `onReady` each (re)connection.
   */
  static async connect(options: RedisThrottleOptions): Promise<RedisThrottleStore> {
    const client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
    });
    let failing = false;
    const settled = new Promise<void>((resolve) => {
      // Without an 'error' listener a connection error would end the process.
      client.on('error', (error: Error) => {
        if (!failing) options.onError?.(error);
        failing = true;
        resolve();
      });
      client.on('ready', () => {
        failing = false;
        options.onReady?.();
        resolve();
      });
    });
    client.connect().catch(() => undefined);
    await settled;
    return new RedisThrottleStore(client, options.prefix ?? 'tessera:throttle:');
  }

  async hit(key: string, now: number, ttlMs: number): Promise<ThrottleState> {
    const reply = (await this.client.eval(HIT, { keys: [this.prefix + key], arguments: [String(now), String(Math.max(1, Math.ceil(ttlMs)))] })) as unknown[];
    return { count: Number(reply[0]), firstAt: Number(reply[1]), lastAt: Number(reply[2]) };
  }

  async peek(key: string): Promise<ThrottleState | undefined> {
    const [count, first, last] = await this.client.hmGet(this.prefix + key, ['count', 'first', 'last']);
    if (count === null || count === undefined) return undefined;
    return { count: Number(count), firstAt: Number(first), lastAt: Number(last) };
  }

  async clear(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }
}

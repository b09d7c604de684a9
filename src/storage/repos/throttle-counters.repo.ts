import { sql, type Kysely } from 'kysely';
import type { ThrottleState, ThrottleStore } from '../../core/throttle/throttle-store.js';
import type { Database } from '../schema.js';
import { num } from './row-mapping.js';

/** Expired rows are deleted every this many hits. */
const SWEEP_EVERY = 1_000;

/**
 * Throttle counters as rows, shared by every process on the database. A hit is one atomic
 * statement on both dialects: a counter past its expiry starts again from 1. The table holds at
 * most the counters hit within one window (expired rows are swept every SWEEP_EVERY hits).
 */
export class KyselyThrottleStore implements ThrottleStore {
  private hits = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async hit(key: string, now: number, ttlMs: number): Promise<ThrottleState> {
    if (++this.hits % SWEEP_EVERY === 0) await this.db.deleteFrom('throttle_counters').where('expires_at', '<=', now).execute();
    const expired = sql<boolean>`throttle_counters.expires_at <= ${now}`;
    const row = await this.db
      .insertInto('throttle_counters')
      .values({ key, count: 1, first_at: now, last_at: now, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when ${expired} then 1 else throttle_counters.count + 1 end`,
          first_at: sql<number>`case when ${expired} then ${now} else throttle_counters.first_at end`,
          last_at: now,
          expires_at: now + ttlMs,
        }),
      )
      .returning(['count', 'first_at', 'last_at'])
      .executeTakeFirstOrThrow();
    return { count: num(row.count), firstAt: num(row.first_at), lastAt: num(row.last_at) };
  }

  async peek(key: string, now: number): Promise<ThrottleState | undefined> {
    const row = await this.db
      .selectFrom('throttle_counters')
      .select(['count', 'first_at', 'last_at'])
      .where('key', '=', key)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && { count: num(row.count), firstAt: num(row.first_at), lastAt: num(row.last_at) };
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('throttle_counters').where('key', '=', key).execute();
  }
}

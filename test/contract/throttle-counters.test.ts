/**
 * Throttle counters in the database (no Redis): the same cases on SQLite and PostgreSQL, with two
 * stores on one database standing for two processes.
 */
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl } from '../../src/storage/open-database.js';
import { KyselyThrottleStore } from '../../src/storage/repos/throttle-counters.repo.js';
import type { Database } from '../../src/storage/schema.js';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

function throttleCases(open: () => Promise<{ first: Kysely<Database>; second: Kysely<Database> }>) {
  it('counts hits with first and last time; a counter past its expiry starts again; clear forgets it', async () => {
    const { first } = await open();
    const store = new KyselyThrottleStore(first);
    expect(await store.peek('k', T0)).toBeUndefined();
    expect(await store.hit('k', T0, MINUTE)).toEqual({ count: 1, firstAt: T0, lastAt: T0 });
    expect(await store.hit('k', T0 + 10, MINUTE)).toEqual({ count: 2, firstAt: T0, lastAt: T0 + 10 });
    expect(await store.peek('k', T0 + 20)).toEqual({ count: 2, firstAt: T0, lastAt: T0 + 10 });
    // the expiry follows the last hit
    expect(await store.peek('k', T0 + 10 + MINUTE)).toBeUndefined();
    expect(await store.hit('k', T0 + 10 + MINUTE, MINUTE)).toEqual({ count: 1, firstAt: T0 + 10 + MINUTE, lastAt: T0 + 10 + MINUTE });
    await store.clear('k');
    expect(await store.peek('k', T0 + 10 + MINUTE)).toBeUndefined();
  });

  it('two processes on one database count on one counter, atomically', async () => {
    const { first, second } = await open();
    const stores = [new KyselyThrottleStore(first), new KyselyThrottleStore(second)];
    const states = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]!.hit('shared', T0 + i, MINUTE)));
    expect(states.map((s) => s.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await stores[1]!.peek('shared', T0 + 50))?.count).toBe(40);
  });
}

const opened: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of opened.reverse()) await close();
});

describe('throttle counters: sqlite', () => {
  throttleCases(async () => {
    const dir = tempDir();
    const url = parseDatabaseUrl(`sqlite:${dir.path}/throttle.db`);
    const first = (await openDatabase(url)).db;
    const second = (await openDatabase(url)).db;
    opened.push(async () => {
      await first.destroy();
      await second.destroy();
      dir.remove();
    });
    return { first, second };
  });
});

const unavailable = await postgresUnavailable();
if (unavailable && !POSTGRES_REQUIRED) console.warn(`skipping the PostgreSQL throttle counters: ${unavailable}`);

describe.skipIf(unavailable !== undefined && !POSTGRES_REQUIRED)('throttle counters: postgres', () => {
  throttleCases(async () => {
    if (unavailable) throw new Error(`PostgreSQL required in CI: ${unavailable}`);
    const schema = testSchemaName();
    const url = parseDatabaseUrl(urlWithSchema(schema));
    const first = (await openDatabase(url)).db;
    const second = (await openDatabase(url)).db;
    opened.push(async () => {
      await first.destroy();
      await second.destroy();
      await dropSchema(schema);
    });
    return { first, second };
  });
});

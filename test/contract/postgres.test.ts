import { describe, expect, it } from 'vitest';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { openDatabase, parseDatabaseUrl } from '../../src/storage/open-database.js';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, TEST_POSTGRES_URL, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { runStoreContract } from './store.contract.js';

/**
 * PostgreSQL runs when reachable (TEST_POSTGRES_URL), and must be reachable in CI. Each case gets
 * its own schema, dropped afterwards, so runs share a database without sharing rows.
 */
const unavailable = await postgresUnavailable(TEST_POSTGRES_URL);

/** Opens (and migrates) a fresh schema; the schema is dropped again if that fails. */
async function openSchema(schema: string) {
  try {
    return await openDatabase(parseDatabaseUrl(urlWithSchema(schema)), { poolSize: 10 });
  } catch (error) {
    await dropSchema(schema);
    throw error;
  }
}

if (unavailable === undefined) {
  runStoreContract('postgres', async () => {
    const schema = testSchemaName();
    const store = createKyselyStore((await openSchema(schema)).db);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });

  describe('postgres schemas', () => {
    it('four instances opening one new schema at once all start: one creates and migrates it, the others find it', async () => {
      const schema = testSchemaName();
      try {
        const opened = await Promise.all(Array.from({ length: 4 }, () => openDatabase(parseDatabaseUrl(urlWithSchema(schema)), { poolSize: 2 })));
        expect(opened.flatMap((o) => o.applied).sort()).toEqual([...opened.find((o) => o.applied.length > 0)!.applied].sort());
        for (const { db } of opened) await db.destroy();
      } finally {
        await dropSchema(schema);
      }
    });

    it('keeps installations in one database apart: each schema migrates on its own', async () => {
      const [a, b] = [testSchemaName(), testSchemaName()];
      try {
        const first = await openSchema(a);
        expect(first.applied.length).toBeGreaterThan(0);
        await first.db.destroy();
        // the second must not take the first one's migration tables for its own
        const second = await openSchema(b);
        expect(second.applied).toEqual(first.applied);
        await createKyselyStore(second.db).ping();
        await second.db.destroy();
        const again = await openSchema(a);
        expect(again.applied).toEqual([]);
        await again.db.destroy();
      } finally {
        await dropSchema(a);
        await dropSchema(b);
      }
    });
  });
} else if (POSTGRES_REQUIRED) {
  describe('store contract: postgres', () => {
    it('needs a reachable PostgreSQL', () => {
      throw new Error(`PostgreSQL required in CI (CI=true), but it is unreachable: ${unavailable}`);
    });
  });
} else {
  console.warn(`[store contract] PostgreSQL suite SKIPPED: ${unavailable}. Set TEST_POSTGRES_URL to run it.`);
  describe.skip(`store contract: postgres (skipped, unreachable: ${unavailable})`, () => {
    it('runs the storage contract on PostgreSQL', () => {});
  });
}

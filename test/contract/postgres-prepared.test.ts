/**
 * On PostgreSQL the hot queries (storage/repos/compiled-once.ts) run as named prepared
 * statements, and a statement whose columns another instance's migration changed is prepared
 * afresh instead of failing every request on that connection from then on.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { openDatabase, parseDatabaseUrl } from '../../src/storage/open-database.js';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, TEST_POSTGRES_URL, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { insertUser } from './fixtures.js';

const unavailable = await postgresUnavailable(TEST_POSTGRES_URL);

async function openOneConnection(schema: string) {
  // One connection, so the statements it prepared can be read back on it.
  const opened = await openDatabase(parseDatabaseUrl(urlWithSchema(schema)), { poolSize: 1 });
  return { db: opened.db, store: createKyselyStore(opened.db) };
}

async function preparedOnConnection(db: Awaited<ReturnType<typeof openOneConnection>>['db']): Promise<string[]> {
  const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db);
  return rows.filter((row) => row.statement.includes('"username_key"')).map((row) => row.name);
}

if (unavailable === undefined) {
  describe('postgres prepared statements', () => {
    const schemas: string[] = [];
    const closers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
      for (const schema of schemas.splice(0)) await dropSchema(schema);
    });

    async function open() {
      const schema = testSchemaName();
      schemas.push(schema);
      const opened = await openOneConnection(schema);
      closers.push(() => opened.store.close());
      return opened;
    }

    it('runs a hot query (the login read of a user) as a named statement, prepared once per connection', async () => {
      const { db, store } = await open();
      const user = await insertUser(store);
      expect(await preparedOnConnection(db)).toEqual([]);
      await expect(store.users.findByUsernameKey(user.usernameKey)).resolves.toMatchObject({ id: user.id });
      await expect(store.users.findByUsernameKey('nobody')).resolves.toBeUndefined();
      const names = await preparedOnConnection(db);
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^tessera_[0-9a-f]{24}/);
    });

    it('prepares a statement afresh when a migration elsewhere changed the columns it reads', async () => {
      const { db, store } = await open();
      const user = await insertUser(store);
      await expect(store.users.findByUsernameKey(user.usernameKey)).resolves.toMatchObject({ id: user.id });
      // What another instance's newer migration would do while this one runs.
      await sql`alter table users add column added_by_a_later_version integer`.execute(db);
      await expect(store.users.findByUsernameKey(user.usernameKey)).resolves.toMatchObject({ id: user.id });
      await expect(store.users.findByUsernameKey(user.usernameKey)).resolves.toMatchObject({ id: user.id });
      expect(await preparedOnConnection(db)).toHaveLength(2);
    });
  });
} else if (POSTGRES_REQUIRED) {
  describe('postgres prepared statements', () => {
    it('needs a reachable PostgreSQL', () => {
      expect.fail(`PostgreSQL is required in CI (CI=true) but unreachable: ${unavailable}`);
    });
  });
} else {
  describe.skip(`postgres prepared statements (skipped, unreachable: ${unavailable})`, () => {
    it('runs hot queries as named statements', () => {});
  });
}

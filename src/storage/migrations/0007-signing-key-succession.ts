import type { Kysely } from 'kysely';

/**
 * Each signing key names the key it succeeds (`genesis` for the first), and a key has at most one
 * successor: instances that start at once on an empty database, or rotate at the same moment,
 * race on this unique index and exactly one key results; the others adopt it. Keys made before
 * this migration have none (NULLs never collide).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('signing_keys').addColumn('succeeds', 'varchar(64)').execute();
  await db.schema.createIndex('signing_keys_succeeds_uq').on('signing_keys').column('succeeds').unique().execute();
}

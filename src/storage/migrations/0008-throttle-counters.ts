import type { Kysely } from 'kysely';

/**
 * Throttle counters in the database, for installations that share one database but no Redis
 * (several instances on PostgreSQL, or WORKERS > 1 on one SQLite file). One row per counter,
 * updated in one statement (INSERT ... ON CONFLICT DO UPDATE), forgotten after `expires_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('throttle_counters')
    .addColumn('key', 'varchar(512)', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('throttle_counters_expires_idx').on('throttle_counters').column('expires_at').execute();
}

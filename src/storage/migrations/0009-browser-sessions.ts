import type { Kysely } from 'kysely';

/**
 * Browser sessions (the sign-in and account pages): a row beside a `sessions` row holding only
 * the hash of the cookie's secret, when and how the person signed in. `server_secrets` keeps the
 * random key that signs the cookies, made by the first instance and shared by every other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('browser_sessions')
    .addColumn('session_id', 'varchar(36)', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('amr', 'varchar(256)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(256)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

import type { Kysely } from 'kysely';

/**
 * Previous password hashes (PASSWORD_HISTORY). `seq` numbers a user's entries 1, 2, 3... so the
 * newest is found without trusting timestamps, which can tie within one millisecond.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_history')
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('password_history_pk', ['user_id', 'seq'])
    .execute();
}

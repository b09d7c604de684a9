import type { Kysely } from 'kysely';

/**
 * Sessions get an absolute end (`expires_at`: a refresh family cannot be rotated past it; a
 * session without refresh token ends with its access token) and the API key that bought them
 * (`api_key_id`: deleting the key ends its sessions). Sessions from before have neither: null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('sessions').addColumn('api_key_id', 'varchar(36)').execute();
  await db.schema.createIndex('sessions_api_key_idx').on('sessions').column('api_key_id').execute();
}

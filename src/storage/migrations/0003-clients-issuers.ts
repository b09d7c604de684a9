import type { Kysely } from 'kysely';

/** OAuth clients, trusted external issuers, their linked identities and seen token ids. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('trusted_issuers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('audience', 'text')
    .addColumn('jwks', 'text')
    .addColumn('public_key_pem', 'text')
    .addColumn('algorithms', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trusted_issuers_issuer_uq').on('trusted_issuers').column('issuer').unique().execute();

  await db.schema
    .createTable('external_identities')
    .addColumn('issuer_id', 'varchar(36)', (c) => c.notNull().references('trusted_issuers.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_identities_pk', ['issuer_id', 'subject'])
    .execute();

  await db.schema
    .createTable('seen_token_ids')
    .addColumn('issuer_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('seen_token_ids_pk', ['issuer_id', 'jti'])
    .execute();
  await db.schema.createIndex('seen_token_ids_expiry_idx').on('seen_token_ids').column('expires_at').execute();
}

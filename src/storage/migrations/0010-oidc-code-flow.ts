import type { Kysely } from 'kysely';

/**
 * The OpenID Connect code flow: clients gain their browser-flow settings (existing clients keep
 * what they were: confidential, HTTP Basic or body secrets, no redirect URIs); authorization
 * codes (only their hashes, single use, with the session their redemption started so that a
 * reuse can revoke it); consents per user and client; and the scopes and sign-in behind each
 * session the code flow started.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_clients').addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('oauth_clients').addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema
    .alterTable('oauth_clients')
    .addColumn('token_endpoint_auth_method', 'varchar(32)', (c) => c.notNull().defaultTo('client_secret_basic'))
    .execute();
  await db.schema.alterTable('oauth_clients').addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('oauth_clients').addColumn('consent_required', 'integer', (c) => c.notNull().defaultTo(1)).execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(36)', (c) => c.notNull().references('oauth_clients.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text')
    .addColumn('code_challenge', 'varchar(128)', (c) => c.notNull())
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('amr', 'text', (c) => c.notNull())
    .addColumn('browser_session_id', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('issued_session_id', 'varchar(36)')
    .addColumn('reused_at', 'bigint')
    .execute();
  await db.schema.createIndex('authorization_codes_expires_idx').on('authorization_codes').column('expires_at').execute();

  await db.schema
    .createTable('consents')
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'varchar(36)', (c) => c.notNull().references('oauth_clients.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['user_id', 'client_id'])
    .execute();

  await db.schema
    .createTable('oidc_grants')
    .addColumn('session_id', 'varchar(36)', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('client_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('amr', 'text', (c) => c.notNull())
    .addColumn('browser_session_id', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as apiKeys from './0002-api-keys.js';
import * as clientsIssuers from './0003-clients-issuers.js';
import * as passwordHistory from './0004-password-history.js';
import * as sessionLifetime from './0005-session-lifetime.js';
import * as issuerAudienceJti from './0006-issuer-audience-jti.js';
import * as signingKeySuccession from './0007-signing-key-succession.js';
import * as throttleCounters from './0008-throttle-counters.js';
import * as browserSessions from './0009-browser-sessions.js';
import * as oidcCodeFlow from './0010-oidc-code-flow.js';

/** Forward-only, versioned migrations, in code so they ship inside the build. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-api-keys': apiKeys,
  '0003-clients-issuers': clientsIssuers,
  '0004-password-history': passwordHistory,
  '0005-session-lifetime': sessionLifetime,
  '0006-issuer-audience-jti': issuerAudienceJti,
  '0007-signing-key-succession': signingKeySuccession,
  '0008-throttle-counters': throttleCounters,
  '0009-browser-sessions': browserSessions,
  '0010-oidc-code-flow': oidcCodeFlow,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/**
 * Brings the schema up to date; answers the names of the migrations it applied. On PostgreSQL,
 * `schema` must name the schema the tables live in: without it Kysely takes a migration table in
 * any other schema of the database (another installation, another test run) for its own.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'tessera_migrations',
    migrationLockTableName: 'tessera_migrations_lock',
    // Migrations built side by side may land out of name order (0010 before 0009): each one is
    // independent of the others' tables, so a database that has a later one still takes an
    // earlier one that arrives afterwards.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

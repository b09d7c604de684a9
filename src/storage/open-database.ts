import { Kysely, sql } from 'kysely';
import { migrateToLatest } from './migrations/index.js';
import type { PoolStats } from './pool-stats.js';
import type { Database } from './schema.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string | undefined };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads a DATABASE_URL: `sqlite:<path>` (relative to the working directory), `sqlite::memory:`,
 * or `postgres://...` with an optional `?schema=name`. Throws a one-line message otherwise.
 */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error('sqlite: needs a file path, e.g. sqlite:./data/tessera.db');
    return { kind: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    const url = new URL(value);
    const schema = url.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error('schema must be a lower-case SQL identifier');
    url.searchParams.delete('schema');
    return { kind: 'postgres', url: url.toString(), schema };
  }
  throw new Error('expected sqlite:<path> or postgres://user@host:port/database');
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  applied: string[];
  /** The connection pool right now (for metrics); SQLite reports its one connection. */
  poolStats: () => PoolStats;
}

/**
 * Connects and brings the schema up to date. `onConnectionError` hears about pooled connections
 * that failed while idle (PostgreSQL); the pool replaces them on demand.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number; onConnectionError?: (error: Error) => void } = {},
): Promise<OpenedDatabase> {
  // pg is loaded only for PostgreSQL: the embedded default never pays its memory.
  const { dialect, poolStats } =
    target.kind === 'sqlite'
      ? sqliteDialect(target.file)
      : (await import('./postgres/postgres-dialect.js')).postgresDialect(target.url, target.schema, {
          poolSize: options.poolSize ?? 10,
          onConnectionError: options.onConnectionError,
        });
  const db = new Kysely<Database>({ dialect });
  try {
    if (target.kind === 'postgres' && target.schema) await createSchema(db, target.schema);
    const schema = target.kind === 'postgres' ? await currentSchema(db) : undefined;
    const applied = await migrateToLatest(db as Kysely<unknown>, schema);
    return { db, applied, poolStats };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * `create schema if not exists` is not safe against itself: two instances starting at once on a
 * new schema can both pass the check, and the second fails on pg_namespace's unique index. The
 * loser finds the schema there, which is all it wanted.
 */
async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const { rows } = await sql<{ found: number }>`select 1 as found from pg_namespace where nspname = ${schema}`.execute(db);
    if (rows.length === 0) throw error;
  }
}

/** The schema unqualified tables are created in (the first existing one on the search path). */
async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

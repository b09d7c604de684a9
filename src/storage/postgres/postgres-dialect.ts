import { PostgresDialect, sql, type DatabaseIntrospector, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult, type DatabaseMetadata, type Kysely, type SchemaMetadata, type TableMetadata } from 'kysely';
import pg from 'pg';
import type { PoolStats } from '../pool-stats.js';
import { preparedName, renamePrepared } from '../prepared-statements.js';

const INT8_OID = 20;

const parseInt8 = (value: string): number => Number(value);

/** pg's own parsers, except BIGINT (epoch ms here) as a number rather than a string. */
const typeParser = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format)) as typeof pg.types.getTypeParser;

/**
 * Bounds on waiting for the database, so a request that needs an unreachable or stuck database
 * fails (503 with Retry-After) within seconds instead of hanging: getting a connection (a new one,
 * or a free slot in a full pool), one statement on the server, and one query seen from the client
 * (which also covers a TCP path that silently drops packets).
 */
export const POSTGRES_TIMEOUTS = {
  connectMs: 3_000,
  statementMs: 10_000,
  queryMs: 12_000,
  idleInTransactionMs: 15_000,
} as const;

/**
 * What Kysely's migrator asks the database (does the schema exist, do its tables exist), answered
 * for the current schema only. Kysely's own PostgreSQL introspector looks at every table of every
 * schema, calling has_schema_privilege and pg_get_serial_sequence on each: when another
 * installation drops a schema or table during that look (parallel test runs do, all the time),
 * the look fails (`schema "x" does not exist`) and so did our start-up. Table names only: nothing
 * in Tessera reads columns through introspection.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

/** PostgreSQL's answer to a prepared statement whose result columns changed under it. */
function stalePlan(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}

/**
 * A connection that runs the prepared statements (prepared-statements.ts) by name: parsed and
 * planned once per connection, then only bound and executed. Every other statement, and every
 * cursor, goes through as Kysely sent it.
 */
function namingClient(client: pg.PoolClient): PostgresPoolClient {
  const run = async <R>(text: string, values: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> => {
    const name = preparedName(text);
    if (name === undefined) return (await client.query(text, values as unknown[])) as unknown as PostgresQueryResult<R>;
    try {
      return (await client.query({ name, text, values: values as unknown[] })) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      // Prepared before another instance's migration changed its columns: prepare it afresh. (Inside
      // a transaction the retry fails too, the transaction being aborted; the next one uses the new name.)
      if (!stalePlan(error)) throw error;
      const renamed = renamePrepared(text) ?? name;
      return (await client.query({ name: renamed, text, values: values as unknown[] })) as unknown as PostgresQueryResult<R>;
    }
  };
  function query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(first: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof first !== 'string') return client.query(first as never);
    return run<R>(first, parameters ?? []);
  }
  return { query, release: () => client.release() };
}

/** The pool as Kysely sees it: the same wrapper for the same connection, every time it is lent. */
function namingPool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = namingClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

export interface PostgresDialectOptions {
  poolSize: number;
  /**
   * Called when an idle pooled connection fails (the server restarted, an administrator
   * terminated the backend, the network dropped). Without a listener pg.Pool's 'error' event
   * would end the process; the pool drops the connection and opens a new one when next needed.
   */
  onConnectionError?: ((error: Error) => void) | undefined;
}

/**
 * A pooled PostgreSQL dialect. BIGINT columns (epoch milliseconds) are parsed as numbers; an
 * optional schema isolates one installation (or one test run) from another in one database.
 * `poolStats` reads pg.Pool's own counters. Connections name themselves `tessera` in
 * pg_stat_activity unless the URL sets `application_name`.
 */
export function postgresDialect(
  url: string,
  schema: string | undefined,
  options: PostgresDialectOptions,
): { dialect: PostgresDialect; poolStats: () => PoolStats } {
  const pool = new pg.Pool({
    application_name: 'tessera',
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: POSTGRES_TIMEOUTS.connectMs,
    statement_timeout: POSTGRES_TIMEOUTS.statementMs,
    query_timeout: POSTGRES_TIMEOUTS.queryMs,
    idle_in_transaction_session_timeout: POSTGRES_TIMEOUTS.idleInTransactionMs,
    keepAlive: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: { getTypeParser: typeParser },
  });
  pool.on('error', (error) => options.onConnectionError?.(error));
  // A connection lost while checked out (a query racing the loss) also emits 'error', and pg.Pool
  // listens only on idle ones: unheard, it ended the process. The query it was running is
  // rejected with that error already (a 503), and the pool drops the connection on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    dialect: new CurrentSchemaPostgresDialect({ pool: namingPool(pool) }),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

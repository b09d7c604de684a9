import { PostgresDialect } from 'kysely';
import pg from 'pg';
import type { PoolStats } from '../pool-stats.js';

const INT8_OID = 20;

const parseInt8 = (value: string): number => Number(value);

/** pg's own parsers, except BIGINT (epoch ms here) as a number rather than a string. */
const typeParser = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format)) as typeof pg.types.getTypeParser;

/**
 * A pooled PostgreSQL dialect. BIGINT columns (epoch milliseconds) are parsed as numbers; an
 * optional schema isolates one installation (or one test run) from another in one database.
 * `poolStats` reads pg.Pool's own counters.
 */
export function postgresDialect(
  url: string,
  schema: string | undefined,
  poolSize: number,
): { dialect: PostgresDialect; poolStats: () => PoolStats } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: { getTypeParser: typeParser },
  });
  return {
    dialect: new PostgresDialect({ pool }),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

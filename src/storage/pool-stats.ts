/**
 * Connections of the database pool at one moment, for monitoring: `total` open, `idle` among
 * them, and `waiting` callers queued for one. Read on demand (e.g. when metrics are scraped).
 */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

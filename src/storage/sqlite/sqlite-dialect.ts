import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import { makeFolders } from '../../infra/make-folders.js';
import type { PoolStats } from '../pool-stats.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

/** SQLite has one connection; Kysely queues callers behind a mutex. These count both. */
interface ConnectionUsage {
  busy: number;
  waiting: number;
}

/**
 * Transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so two processes
 * sharing the file (WORKERS > 1) wait for each other (busy_timeout) instead of failing when a
 * read lock would have to be upgraded.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly usage: ConnectionUsage,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {
    super(config);
  }

  /** The checkpointer's connection closes first; the last connection's close cleans the log up. */
  override async destroy(): Promise<void> {
    await this.checkpointer?.stop();
    await super.destroy();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    this.usage.waiting += 1;
    try {
      return await super.acquireConnection();
    } finally {
      this.usage.waiting -= 1;
      this.usage.busy = 1;
    }
  }

  override async releaseConnection(): Promise<void> {
    this.usage.busy = 0;
    await super.releaseConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Most prepared statements kept; Tessera issues a few dozen distinct ones. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's driver sees it, with prepared statements kept by SQL text: Kysely
 * prepares every statement on every query, which cost 16-22 % of a refresh or a bearer read.
 * Safe because the one connection runs one query at a time (Kysely's mutex) and SQLite
 * re-prepares a kept statement by itself when the schema changes. The least recently used
 * statement is dropped past STATEMENT_CACHE_SIZE.
 */
function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string): SqliteDatabase.Statement => {
    let statement = statements.get(source);
    if (statement) {
      statements.delete(source);
    } else {
      statement = database.prepare(source);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    statements.set(source, statement);
    return statement;
  };
  return { prepare, close: () => void database.close() };
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly usage: ConnectionUsage = { busy: 0, waiting: 0 };
  private readonly database: KyselySqliteDatabase;

  constructor(
    database: SqliteDatabase.Database,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {
    const cached = withStatementCache(database);
    super({ database: cached });
    this.database = cached;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database }, this.usage, this.checkpointer);
  }
}

/** How often the checkpointer thread copies the log into the database file. */
const CHECKPOINT_INTERVAL_MS = 250;

/** SQLite's own threshold (pages of log), for when the checkpointer thread is gone. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export interface SqliteDialectOptions {
  /** Told of each checkpoint the checkpointer thread made (tests wait for it). */
  onCheckpoint?: (frames: number) => void;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode with foreign keys on. `poolStats` shows
 * the single connection as the pool: total 1, idle when no query or transaction holds it.
 */
export function sqliteDialect(file: string, options: SqliteDialectOptions = {}): { dialect: SqliteDialect; poolStats: () => PoolStats } {
  if (file !== ':memory:') makeFolders(dirname(file));
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Checkpoints leave the event loop for a thread of their own (wal-checkpointer.ts); should
  // that thread fail, SQLite checkpoints inside commits again, as it does by default.
  let checkpointer: WalCheckpointer | undefined;
  if (file !== ':memory:') {
    database.pragma('wal_autocheckpoint = 0');
    checkpointer = startWalCheckpointer(file, {
      intervalMs: CHECKPOINT_INTERVAL_MS,
      onCheckpoint: options.onCheckpoint,
      onLost: () => {
        if (database.open) database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
      },
    });
  }
  const dialect = new ImmediateSqliteDialect(database, checkpointer);
  return { dialect, poolStats: () => ({ total: 1, idle: 1 - dialect.usage.busy, waiting: dialect.usage.waiting }) };
}

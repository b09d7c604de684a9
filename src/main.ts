/** `npm start`: read the configuration, then serve (one process, or a node:cluster of WORKERS). */
import cluster from 'node:cluster';
import { writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { Config } from './config/schema.js';

function fail(message: string): never {
  // Written synchronously: stderr to a pipe is asynchronous in Node, and process.exit could drop it.
  writeSync(2, `tessera: ${message}\n`);
  process.exit(1);
}

/** The database URL as it may be logged: without a password. */
function displayUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** libuv's pool when UV_THREADPOOL_SIZE is unset. */
const LIBUV_DEFAULT_POOL = 4;

/**
 * Password hashes run on libuv's thread pool, which is sized once, before the first module is
 * read: a pool smaller than PASSWORD_HASH_CONCURRENCY makes hashes (and file reads) queue inside
 * libuv, invisible to the load shedding. Workers are forked with a pool of the concurrency plus
 * two (for file and DNS work); a single process can only say so, since its pool already exists.
 */
function hashConcurrency(config: Config): number {
  return config.PASSWORD_HASH_CONCURRENCY === 0 ? availableParallelism() : config.PASSWORD_HASH_CONCURRENCY;
}

function threadPoolWarning(config: Config): string | undefined {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || LIBUV_DEFAULT_POOL;
  const wanted = hashConcurrency(config);
  if (pool >= wanted) return undefined;
  return `UV_THREADPOOL_SIZE (${pool}) is below PASSWORD_HASH_CONCURRENCY (${wanted}): start with UV_THREADPOOL_SIZE=${wanted + 2}`;
}

async function serve(config: Config): Promise<void> {
  // Loaded after the configuration is known good, so a bad value fails fast.
  const { createApp } = await import('./app.js');
  const app = await createApp(config);
  // Before the listening line, which tests and operators wait for.
  const poolWarning = threadPoolWarning(config);
  if (poolWarning) app.logger.warn({ uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? LIBUV_DEFAULT_POOL }, poolWarning);
  const address = await app.server.listen({ port: config.PORT, host: config.HOST });
  // What a resource server is configured with (issuer, audience) is in this line, next to where
  // the server listens: the issuer is PUBLIC_URL, which may differ from the listen address.
  const database = displayUrl(config.DATABASE_URL);
  app.logger.info(
    { address, issuer: config.PUBLIC_URL, audience: config.TOKEN_AUDIENCE, database, mail: config.SMTP_URL ? 'smtp' : `outbox ${config.OUTBOX_DIR}` },
    `Tessera listening on ${address}, issuer ${config.PUBLIC_URL}, token audience ${config.TOKEN_AUDIENCE}, database ${database}`,
  );
  // In cluster mode the worker reports in, so the primary can say when all of them listen.
  if (cluster.isWorker) process.send?.({ tessera: 'listening' });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
    app.logger.info({ signal, graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutting down: not ready, finishing requests under way');
    app.shutdown(graceMs).then(
      ({ forced }) => {
        if (forced) app.logger.warn({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'grace period over: busy connections were cut');
        else app.logger.info('shut down cleanly');
        process.exit(forced ? 1 : 0);
      },
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function primary(config: Config, workers: number): Promise<void> {
  const { createLogger } = await import('./infra/logger.js');
  const { openDatabase, parseDatabaseUrl } = await import('./storage/open-database.js');
  const logger = createLogger(config.LOG_LEVEL);
  // Migrate once before the workers start, so they never race on the schema.
  const { db, applied } = await openDatabase(parseDatabaseUrl(config.DATABASE_URL), { poolSize: 1 });
  await db.destroy();
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  // Likewise the first signing key and the bootstrap admin: made once here, found by every worker.
  const { createApp } = await import('./app.js');
  await (await createApp(config, { logger })).close();
  logger.info({ workers }, `starting ${workers} workers`);
  // One line once every worker has logged that it listens: the signal to wait for, not a time.
  const listening = new Map<number, number | undefined>();
  cluster.on('message', (worker, message: { tessera?: string }) => {
    if (message?.tessera !== 'listening' || listening.size >= workers) return;
    listening.set(worker.id, worker.process.pid);
    if (listening.size === workers) logger.info({ workers, pids: [...listening.values()] }, `all ${workers} workers listening`);
  });
  let stopping = false;
  let unclean = false;
  process.env.UV_THREADPOOL_SIZE ??= String(Math.max(LIBUV_DEFAULT_POOL, hashConcurrency(config) + 2));
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (code !== 0) unclean = true;
      // Every worker gone: the primary's work is done (1 if a worker had to cut connections).
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(unclean ? 1 : 0);
      return;
    }
    if (code !== 0 && signal === null) {
      logger.error({ pid: worker.process.pid, code }, 'worker exited; starting another');
      cluster.fork();
    }
  });
  // Each worker drains on its own SIGTERM (see serve); the primary waits for all of them.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info({ workers }, 'shutting down the workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(): Promise<void> {
  let config: Config;
  let warnings: string[];
  try {
    ({ config, warnings } = loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (cluster.isPrimary) for (const warning of warnings) console.warn(`tessera: warning: ${warning}`);
  const workers = config.WORKERS === 0 ? availableParallelism() : config.WORKERS;
  if (workers > 1 && cluster.isPrimary) await primary(config, workers);
  else await serve(config);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(`could not start: ${message.split('\n')[0]}`);
});

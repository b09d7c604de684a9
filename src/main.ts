/** `npm start`: read the configuration, then serve (one process, or a node:cluster of WORKERS). */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ROLE_VARIABLE, runPrimary, SETUP_ROLE } from './cluster/primary.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { Config } from './config/schema.js';
import { fail } from './fail.js';
import { limitHeapGrowth } from './infra/heap-growth.js';
import { lowerHelperThreads } from './infra/helper-thread-priority.js';
import { LIBUV_DEFAULT_POOL, threadPoolWarning } from './thread-pool.js';

/** The database URL as it may be logged: without a password. */
function displayUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

async function serve(config: Config): Promise<void> {
  limitHeapGrowth();
  // Loaded after the configuration is known good, so a bad value fails fast.
  const { createApp } = await import('./app.js');
  const app = await createApp(config);
  // Before the listening line, which tests and operators wait for.
  const poolWarning = threadPoolWarning(config);
  if (poolWarning) app.logger.warn({ uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? LIBUV_DEFAULT_POOL }, poolWarning);
  const address = await app.server.listen({ port: config.PORT, host: config.HOST });
  // Every helper thread exists by now (the pool started with the dummy hash at init).
  const lowered = lowerHelperThreads(config.HELPER_THREAD_NICE);
  if (lowered > 0) app.logger.debug({ threads: lowered, nice: config.HELPER_THREAD_NICE }, 'helper threads lowered');
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

async function main(): Promise<void> {
  let config: Config;
  let warnings: string[];
  try {
    ({ config, warnings } = loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (process.env[ROLE_VARIABLE] === SETUP_ROLE) {
    // The cluster primary's setup child (cluster/primary.ts): prepare once, then leave. Only the
    // end of the setup says 0: an event loop that runs dry before it (a promise nothing settles)
    // is a failure, or the primary would start workers on a half-made database.
    process.once('beforeExit', () => fail('could not start: the setup stopped before it was done'));
    const { setUpOnce } = await import('./cluster/set-up.js');
    await setUpOnce(config);
    process.exit(0);
  }
  if (cluster.isPrimary) for (const warning of warnings) console.warn(`tessera: warning: ${warning}`);
  const workers = config.WORKERS === 0 ? availableParallelism() : config.WORKERS;
  if (workers > 1 && cluster.isPrimary) await runPrimary(config, workers);
  else await serve(config);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(`could not start: ${message.split('\n')[0]}`);
});

/**
 * With WORKERS > 1, the primary process: it supervises and serves nothing. It loads only node
 * builtins, the configuration and the logger (the lint rule for this file keeps it so): the
 * one-time setup runs in a child process (set-up.ts), so the primary never holds the
 * application's modules, its database driver or its pools in memory.
 */
import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import type { Config } from '../config/schema.js';
import { fail } from '../fail.js';
import { createLogger } from '../infra/logger.js';
import { workerThreadPool } from '../thread-pool.js';

/** Set in the environment of the setup child: main.ts runs setUpOnce there and exits. */
export const ROLE_VARIABLE = 'TESSERA_CLUSTER_ROLE';
export const SETUP_ROLE = 'setup';

/**
 * Runs the entry again (same script, arguments and execArgv, as cluster.fork does) in the setup
 * role and waits for it. A failing setup has written its own `tessera: could not start: ...`
 * line; the primary then exits 1. A signal during setup is passed on, and then ends the primary
 * as it would have without a child.
 */
function runSetup(): Promise<void> {
  return new Promise((resolve) => {
    const child = fork(process.argv[1]!, process.argv.slice(2), { execArgv: process.execArgv, env: { ...process.env, [ROLE_VARIABLE]: SETUP_ROLE } });
    let received: NodeJS.Signals | undefined;
    const pass = (signal: NodeJS.Signals) => {
      received = signal;
      child.kill(signal);
    };
    process.on('SIGTERM', pass);
    process.on('SIGINT', pass);
    child.once('error', (error) => fail(`could not start: the setup process failed: ${error.message}`));
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', pass);
      process.off('SIGINT', pass);
      if (received) process.kill(process.pid, received);
      else if (code === 0) resolve();
      else if (signal !== null) fail(`could not start: the setup process was killed by ${signal}`);
      else process.exit(1);
    });
  });
}

export async function runPrimary(config: Config, workers: number): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL);
  // Every worker, and the setup child, gets a pool sized for the hashes (see thread-pool.ts).
  process.env.UV_THREADPOOL_SIZE ??= String(workerThreadPool(config));
  await runSetup();
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
  // Each worker drains on its own SIGTERM (see serve in main.ts); the primary waits for all of them.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info({ workers }, 'shutting down the workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

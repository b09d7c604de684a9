/**
 * A real Tessera process (`node dist/main.js` with the node flags of the built package's
 * `npm start`) on a free loopback port,
 * with its log going to a file in its data folder (a pipe read by the bench would cost the bench
 * CPU on the same two cores).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import { freePort, PROJECT_ROOT } from '../../test/support/server-process.js';
import { options as benchOptions } from '../options.js';
import { treeStats } from '../proc-stats.js';

export interface Tessera {
  url: string;
  pid: number;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export interface TesseraOptions {
  dir: string;
  databaseUrl: string;
  workers: number;
  env: Record<string, string>;
}

let serverRoot = PROJECT_ROOT;

/** The folder whose dist/main.js is started (see build.ts). */
export function useBuild(root: string): void {
  serverRoot = root;
}

/** The node flags `npm start` gives the server in `root`: what stands between `node` and `dist/main.js`. */
function startFlags(root: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const start = scripts.start ?? '';
  const words = start.trim().split(/\s+/);
  const entry = words.indexOf('dist/main.js');
  if (words[0] !== 'node' || entry < 0) throw new Error(`npm start is not "node [flags] dist/main.js": ${start}`);
  return words.slice(1, entry);
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(configSchema)) delete env[name];
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

export async function waitUntil(what: string, ready: () => Promise<boolean> | boolean, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode})`);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).status === 200;
  } catch {
    return false;
  }
}

export async function startTessera(options: TesseraOptions): Promise<Tessera> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = `${options.dir}/server-${port}.log`;
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...startFlags(serverRoot), ...benchOptions.serverNodeArgs, 'dist/main.js'], {
    cwd: serverRoot,
    env: cleanEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      OUTBOX_DIR: `${options.dir}/outbox`,
      WORKERS: String(options.workers),
      ...options.env,
    }),
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const log = () => readFileSync(logFile, 'utf8');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntil('tessera /healthz', () => healthy(url), 60_000, child);
    if (options.workers > 1) {
      // /healthz answers once one worker listens; every worker must be up before load starts.
      const logged = ['trace', 'debug', 'info'].includes(options.env.LOG_LEVEL ?? 'info');
      await waitUntil(
        `${options.workers} workers`,
        () => (logged ? log().includes(`all ${options.workers} workers listening`) : treeStats(child.pid!).length > options.workers),
        60_000,
        child,
      );
    }
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log().slice(-2000)}`);
  }
  return { url, pid: child.pid!, child, log, stop };
}

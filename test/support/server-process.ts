import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config/schema.js';
import { tempDir } from './temp-dir.js';

/** The project root: the real server runs from here, as `npm start` would. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** By default the TypeScript sources through tsx; the bench passes `['dist/main.js']`. */
const SOURCE_ENTRY = ['--import', 'tsx', 'src/main.ts'];

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The folder holding the SQLite file (and the outbox); kept until stop() unless `dir` was given. */
  dir: string;
  databaseUrl: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with stdout as soon as a complete line holds `text` (or satisfies the predicate):
   * a signal, not a time. Rejects if the process exits first; the test's timeout bounds the wait.
   */
  waitForLine(match: string | ((line: string) => boolean)): Promise<string>;
  /** SIGTERM, then SIGKILL after a grace period; answers the exit code (null if killed by a signal). */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Reuse this folder (and its tessera.db) instead of a fresh temp folder; it is not removed on stop. */
  dir?: string;
  /** Arguments after the node binary; default `--import tsx src/main.ts`. */
  args?: string[];
  /** Listen on this port (default: a free one). */
  port?: number;
  /** How long to wait for /healthz (a bound on failure: success returns as soon as it answers). */
  readyTimeoutMs?: number;
  /**
   * Ready only once stdout also holds a line with this text, e.g. `all 2 workers listening`:
   * /healthz answers as soon as one worker listens. Default: the `Tessera listening` line when
   * LOG_LEVEL logs it (it can reach the pipe after /healthz has answered).
   */
  readyLine?: string;
}

/** A free TCP port on loopback: listen on port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('no port from the probe server'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

/** The parent's environment without any Tessera variable, so a developer's shell cannot leak in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(configSchema)) delete env[name];
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return { stdout: () => out, stderr: () => err };
}

/** Resolves when a complete stdout line matches; rejects when stdout closes without one. */
function lineOf(child: ChildProcess, stdout: () => string, match: string | ((line: string) => boolean)): Promise<string> {
  const test = typeof match === 'string' ? (line: string) => line.includes(match) : match;
  const found = () => stdout().split('\n').slice(0, -1).some(test);
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!found()) return false;
      cleanup();
      resolve(stdout());
      return true;
    };
    const onClose = () => {
      cleanup();
      if (!found()) reject(new Error(`server exited before logging ${String(match)}\n${stdout()}`));
      else resolve(stdout());
    };
    const cleanup = () => {
      child.stdout?.off('data', onData);
      child.stdout?.off('close', onClose);
    };
    // Registered after collect()'s listener, so stdout() already holds the chunk.
    const onData = () => void check();
    child.stdout?.on('data', onData);
    // 'close' rather than the child's 'exit': it comes after the last chunk of output.
    child.stdout?.once('close', onClose);
    if (check()) return;
    if (child.stdout === null || child.stdout.closed) onClose();
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Runs the server with `env` and expects it to stop by itself (a bad configuration); answers
 * its exit code and output. Killed after `timeoutMs` if it keeps running (a bound on failure, under
 * the test's own 30 s: several of these start side by side on a loaded machine).
 */
export async function runToExit(env: Record<string, string>, timeoutMs = 25_000, args = SOURCE_ENTRY) {
  const dir = tempDir('tessera-e2e-');
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: cleanEnv({ DATABASE_URL: `sqlite:${dir.path}/tessera.db`, OUTBOX_DIR: `${dir.path}/outbox`, HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const code = await exited(child);
    return { code, signal: child.signalCode, stdout: output.stdout(), stderr: output.stderr() };
  } finally {
    clearTimeout(timer);
    dir.remove();
  }
}

/** Starts the real server on a free loopback port and waits until GET /healthz answers 200. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const temp = options.dir === undefined ? tempDir('tessera-e2e-') : undefined;
  const dir = options.dir ?? temp!.path;
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const databaseUrl = `sqlite:${dir}/tessera.db`;
  const child = spawn(process.execPath, options.args ?? SOURCE_ENTRY, {
    cwd: PROJECT_ROOT,
    env: cleanEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      OUTBOX_DIR: `${dir}/outbox`,
      LOG_LEVEL: 'info',
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const exit = exited(child);

  let stopped: Promise<number | null> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        try {
          return await exit;
        } finally {
          clearTimeout(timer);
        }
      }
      return child.exitCode;
    })().finally(() => temp?.remove());
    return stopped;
  };
  const waitForLine = (match: string | ((line: string) => boolean)) => lineOf(child, output.stdout, match);
  const server: ServerProcess = { url, port, dir, databaseUrl, child, stdout: output.stdout, stderr: output.stderr, waitForLine, stop };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 45_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready\n${output.stderr()}\n${output.stdout()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready on ${url} within the timeout\n${output.stderr()}\n${output.stdout()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const logsInfo = ['trace', 'debug', 'info'].includes(options.env?.LOG_LEVEL ?? 'info');
  const readyLine = options.readyLine ?? (logsInfo ? 'Tessera listening' : undefined);
  if (readyLine !== undefined) {
    try {
      await waitForLine(readyLine);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return server;
}

/** The JSON lines of a pino log, skipping any line that is not JSON. */
export function logLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

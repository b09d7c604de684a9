/**
 * Runs the `tessera` CLI and collects its exit code and output: in this process through the
 * program's `run` (`runCli`, what most tests use), or as the real child process a user starts
 * (`spawnCli`: `node --import tsx src/cli/main.ts`, or `dist/cli/main.js` when asked).
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/program.js';
import { configSchema } from '../../src/config/schema.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_ENTRY = ['--import', 'tsx', 'src/cli/main.ts'];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Tessera variables for this run; the parent's are never passed on. */
  env?: Record<string, string>;
  /** Written to standard input, which is then closed. */
  input?: string;
  /** Node arguments before the CLI's own; default the TypeScript sources through tsx. */
  entry?: string[];
  timeoutMs?: number;
}

/** The environment of a CLI run on a SQLite file in `dir`, with logging off. */
export function cliEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: `sqlite:${dir}/t.db`, LOG_LEVEL: 'silent', OUTBOX_DIR: `${dir}/outbox`, ...extra };
}

/** The parent's environment without any Tessera variable, so a developer's shell cannot leak in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(configSchema)) delete env[name];
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

/**
 * One command line through the same program as the binary, in this process: the environment is
 * exactly `options.env` (nothing of this process's), stdin is `options.input`, and stdout, stderr
 * and the app's log lines are collected (log lines into stderr, as the binary writes them to fd 2).
 */
export async function runCli(args: string[], options: Pick<CliOptions, 'env' | 'input'> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stderrSink = { write: (text: string) => (stderr += text) };
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: stderrSink,
    log: stderrSink,
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]),
    env: { ...options.env },
  });
  return { code, signal: null, stdout, stderr };
}

/** The real `tessera` process, as a user runs it. */
export function spawnCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [...(options.entry ?? SOURCE_ENTRY), ...args], {
    cwd: PROJECT_ROOT,
    env: cleanEnv(options.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The non-empty lines of a stream's output. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

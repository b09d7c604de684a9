/**
 * What every command shares: the streams and environment of this run (injectable, so the program
 * runs in-process as well as in its own process), the configuration read from that environment
 * exactly as the server reads it, Tessera built through the composition root (`app.ts`), and the
 * one-line error.
 */
import type { Core } from '../core/tessera.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { RequestContext } from '../core/context/request-context.js';
import { Output, type TextSink } from './output.js';

/** A failure the operator can act on; its message is the whole story (no stack, no code). */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** How CLI actions appear in the audit log. */
export const CLI_CONTEXT: RequestContext = { surface: 'cli' };

/** Where a run reads and writes: the process's own streams (`main.ts`), or a test's. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<Buffer | string>;
  env: NodeJS.ProcessEnv;
  /** Where the app's log lines go; unset: file descriptor 2, written synchronously. */
  log?: TextSink;
}

/** What a command may use: the configuration and the core's use cases (never its store). */
export interface CliApp {
  config: Config;
  core: Core;
}

/** One run of the program: its streams, and the exit status a command may set without failing. */
export class CliRun {
  readonly out: Output;
  /** 0 unless a command that did its work reports a partial outcome (`import`: 2). */
  exitCode = 0;

  constructor(readonly io: CliIo) {
    this.out = new Output(io.stdout);
  }

  /** `tessera: <message>` on stderr: a row error, a warning, a notice. */
  note(message: string): void {
    this.io.stderr.write(errorLine(message));
  }

  /** The validated configuration; its warnings go to stderr like the server's. */
  config(): Config {
    const { config, warnings } = loadConfig(this.io.env);
    for (const warning of warnings) this.note(`warning: ${warning}`);
    return config;
  }

  /** Standard input as text (for `--password-stdin`). */
  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Builds Tessera (storage, migrations, core) through `createApp`, runs `work`, and closes it
   * whatever happens. Logs go to stderr so stdout carries only the command's output; unless
   * LOG_LEVEL is set, only warnings and errors are logged (the server's `info` would print an
   * audit line for every change a command makes).
   */
  async withApp<T>(work: (app: CliApp) => Promise<T>): Promise<T> {
    const config = this.config();
    const level = this.io.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn';
    // Loaded here, not at the top: `--help` and argument errors answer without loading the server.
    const [{ createApp }, { createLogger }, { default: pino }] = await Promise.all([import('../app.js'), import('../infra/logger.js'), import('pino')]);
    const logger = createLogger(level, this.io.log ?? pino.destination({ dest: 2, sync: true }));
    const app = await createApp(config, { logger });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  }
}

/** The single stderr line of a failed command: `tessera: <first line of the message>`. */
export function errorLine(message: string): string {
  const first = message.trim().split('\n')[0]?.trim() ?? '';
  return `tessera: ${first || 'failed'}\n`;
}

/** What to tell the operator about an error: its message, never its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

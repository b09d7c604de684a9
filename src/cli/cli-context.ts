/**
 * What every command shares: the configuration read from the environment exactly as the server
 * reads it, Tessera built through the composition root (`app.ts`), and the one-line error.
 */
import type { Core } from '../core/tessera.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { RequestContext } from '../core/context/request-context.js';

/** A failure the operator can act on; its message is the whole story (no stack, no code). */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** How CLI actions appear in the audit log. */
export const CLI_CONTEXT: RequestContext = { surface: 'cli' };

/** The validated configuration; its warnings go to stderr like the server's. */
export function cliConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { config, warnings } = loadConfig(env);
  for (const warning of warnings) console.warn(`tessera: warning: ${warning}`);
  return config;
}

/**
 * Builds Tessera (storage, migrations, core) through `createApp`, runs `work`, and closes it
 * whatever happens. Logs go to stderr so stdout carries only the command's output; unless
 * LOG_LEVEL is set, only warnings and errors are logged (the server's `info` would print an
 * audit line for every change a command makes).
 */
/** What a command may use: the configuration and the core's use cases (never its store). */
export interface CliApp {
  config: Config;
  core: Core;
}

export async function withApp<T>(work: (app: CliApp) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = cliConfig(env);
  const level = env.LOG_LEVEL ? config.LOG_LEVEL : 'warn';
  // Loaded here, not at the top: `--help` and argument errors answer without loading the server.
  const [{ createApp }, { createLogger }, { default: pino }] = await Promise.all([import('../app.js'), import('../infra/logger.js'), import('pino')]);
  const logger = createLogger(level, pino.destination({ dest: 2, sync: true }));
  const app = await createApp(config, { logger });
  try {
    return await work(app);
  } finally {
    await app.close();
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

/**
 * The `tessera` program run in-process (`runCli`: the same `run` as the binary, on a real SQLite
 * file in a temp folder), and what the CLI tests check of it. What a command changed is checked
 * through its own output and through a Tessera on the same file (createApp + inject), the way a
 * server started afterwards would see it.
 */
import { afterAll, expect } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { cliEnv, lines, runCli, type CliResult } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

export const PASSWORD = 'granite falcon meadow 7731';

const dirs: Array<{ remove(): void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

/** A fresh folder (database, outbox, import files), removed after the file's tests. */
export function freshDir(): string {
  const dir = tempDir('tessera-cli-');
  dirs.push(dir);
  return dir.path;
}

/** `tessera <args>` on the database in `dir`. */
export function tessera(dir: string, args: string[], input?: string): Promise<CliResult> {
  return runCli(args, { env: cliEnv(dir), ...(input === undefined ? {} : { input }) });
}

/** Exit 0, nothing on stderr; answers stdout. */
export async function ok(dir: string, args: string[], input?: string): Promise<string> {
  const result = await tessera(dir, args, input);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

/** A failed command: non-zero exit, exactly one `tessera: ...` line on stderr, no stack trace. */
export function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.code).not.toBe(0);
  const errors = lines(result.stderr);
  expect(errors, result.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(/^tessera: /);
  expect(errors[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

/** An in-process Tessera on the CLI's database, closed after `work`. */
export async function withApp<T>(dir: string, work: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig(cliEnv(dir)).config);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function login(app: App, username: string, password: string) {
  return app.server.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
}

export async function storedHash(app: App, username: string): Promise<string | undefined> {
  return (await app.core.store.users.findByUsernameKey(username.toLowerCase()))?.passwordHash;
}

export interface ListedUser {
  id: string;
  username: string;
  email: string | null;
  name: string | null;
  roles: string[];
  passwordExpired: boolean;
}

export async function listUsers(dir: string): Promise<ListedUser[]> {
  return (JSON.parse(await ok(dir, ['user', 'list', '--json', '--limit', '100'])) as { users: ListedUser[] }).users;
}

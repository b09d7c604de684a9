/** Starts bench/better-auth/server.ts as its own process with a fresh database and waits for it. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, PROJECT_ROOT } from '../../test/support/server-process.js';
import { options, PASSWORD } from '../options.js';
import { waitUntil } from '../tessera/server.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

export interface BetterAuth {
  url: string;
  pid: number;
  mode: 'default' | 'argon2id';
  stop(): Promise<void>;
}

export const baEmail = (i: number): string => `ba-${i}@bench.test`;

export async function startBetterAuth(mode: 'default' | 'argon2id', users: number): Promise<BetterAuth> {
  const dir = mkdtempSync(join(tmpdir(), 'better-auth-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      BA_DB: `${dir}/better-auth.db`,
      BA_HASH: mode,
      BA_USERS: String(users),
      BA_PASSWORD: PASSWORD,
      ARGON2_MEMORY_KIB: String(options.argon2.memoryKib),
      ARGON2_TIME_COST: String(options.argon2.timeCost),
      ARGON2_PARALLELISM: String(options.argon2.parallelism),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(`better-auth (${mode})`, () => out.includes('better-auth listening'), 60_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${out.slice(-2000)}`);
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, mode, stop };
}

/** Session cookies from real sign-ins, for get-session. */
export async function signInCookies(server: BetterAuth, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: baEmail(i), password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`better-auth sign-in: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
    cookies.push(cookie);
  }
  return cookies;
}

/**
 * SIGKILL ten times under write load, restarting on the same SQLite file: every write that was
 * acknowledged (2xx) is there afterwards, and no refresh family ever has two live tokens.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';
import { STRONG_PASSWORD, TEST_ARGON2 } from '../support/test-app.js';

const CYCLES = 10;
/** Acknowledged writes per cycle before the kill. */
const WRITES_BEFORE_KILL = 12;

interface Account {
  username: string;
  /** The newest refresh token whose rotation was acknowledged. */
  refresh: string;
  /** A rotation was sent and not answered when the process died: the newest token is unknown. */
  unsure: boolean;
}

async function post(server: ServerProcess, path: string, body: unknown): Promise<{ status: number; json: Record<string, string> } | undefined> {
  try {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, string> };
  } catch {
    return undefined; // the process died under this request: no answer, no acknowledgement
  }
}

describe('SIGKILL under write load, ten times', () => {
  const dir = tempDir('tessera-crash-');
  afterAll(() => dir.remove());

  it('keeps every acknowledged registration and refresh, and never two live tokens in a family', async () => {
    const port = await freePort();
    const env = { ...TEST_ARGON2, PUBLIC_URL: 'http://localhost:1', LOG_LEVEL: 'warn' };
    const accounts: Account[] = [];
    let serial = 0;

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const server = await startServer({ dir: dir.path, port, env });
      let acknowledged = 0;
      let killed = false;
      const died = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
      const kill = () => {
        if (killed || acknowledged < WRITES_BEFORE_KILL) return;
        killed = true;
        server.child.kill('SIGKILL');
      };
      // Four writers at once: each registers a user, or rotates a known user's refresh token.
      const writer = async (lane: number) => {
        while (!killed) {
          const known = accounts.filter((a) => !a.unsure);
          if (known.length > 0 && (serial + lane) % 2 === 0) {
            const account = known[(serial + lane) % known.length]!;
            account.unsure = true;
            const answer = await post(server, '/v1/auth/refresh', { token: account.refresh });
            if (answer?.status === 200) {
              account.refresh = answer.json.refresh_token!;
              account.unsure = false;
              acknowledged += 1;
            } else if (answer !== undefined) {
              throw new Error(`refresh answered ${answer.status}`);
            }
          } else {
            const username = `crash-${cycle}-${(serial += 1)}@example.com`;
            const answer = await post(server, '/v1/user', { username, password: STRONG_PASSWORD });
            if (answer?.status === 200) {
              accounts.push({ username, refresh: answer.json.refresh_token!, unsure: false });
              acknowledged += 1;
            } else if (answer !== undefined) {
              throw new Error(`registration answered ${answer.status}`);
            }
          }
          kill();
        }
      };
      await Promise.all([0, 1, 2, 3].map(writer));
      await died;
    }

    const server = await startServer({ dir: dir.path, port, env });
    try {
      expect(accounts.length).toBeGreaterThan(CYCLES);
      for (const account of accounts) {
        const login = await post(server, '/v1/auth/login', { username: account.username, password: STRONG_PASSWORD });
        expect(login?.status, account.username).toBe(200);
        if (account.unsure) continue;
        const refreshed = await post(server, '/v1/auth/refresh', { token: account.refresh });
        expect(refreshed?.status, `${account.username}'s last acknowledged refresh token`).toBe(200);
      }
    } finally {
      await server.stop();
    }
    const db = new Database(`${dir.path}/tessera.db`, { readonly: true });
    try {
      const doubled = db
        .prepare('select session_id, count(*) as live from refresh_tokens where used_at is null group by session_id having count(*) > 1')
        .all();
      expect(doubled).toEqual([]);
    } finally {
      db.close();
    }
  }, 240_000);
});

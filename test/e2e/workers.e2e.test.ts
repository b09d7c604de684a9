import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';

/** WORKERS=2 on a fresh SQLite file: one schema, one signing key, one admin, two processes serving. */
describe('node:cluster mode', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ env: { WORKERS: '2', TESSERA_BOOTSTRAP_ADMIN: 'boss:a passphrase for the boss', LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('prepares the database once, then every worker serves with the same key', async () => {
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys).toHaveLength(1);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fetch(`${server.url}/v1/user`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: `worker-user-${i}`, password: 'a passphrase for workers' }),
        }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const pids = new Set(
      server
        .stdout()
        .split('\n')
        .filter((line) => line.includes('Tessera listening'))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );
    expect(pids.size).toBe(2);
    const admin = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: 'a passphrase for the boss' }),
    });
    expect(admin.status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, startServer, type ServerProcess } from '../support/server-process.js';

/**
 * WORKERS=2 on a fresh SQLite file: one schema, one signing key, one admin, two processes serving.
 * /healthz answers as soon as the first worker listens, so readiness is the primary's line
 * "all 2 workers listening", logged once both workers have reported in.
 */
describe('node:cluster mode', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      env: { WORKERS: '2', TESSERA_BOOTSTRAP_ADMIN: 'boss:a passphrase for the boss', LOG_LEVEL: 'info' },
      readyLine: 'all 2 workers listening',
    });
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
    // The primary names the two workers that reported in; each logged its own listening line.
    const ready = logLines(server.stdout()).find((line) => line.msg === 'all 2 workers listening');
    const workerPids = new Set(ready?.pids as number[]);
    expect(workerPids.size).toBe(2);
    expect(workerPids.has(server.child.pid!)).toBe(false);
    // Each worker logs its line before it reports in, but the write and the report race on the
    // way here: wait for the lines themselves (a signal, not a time).
    for (const pid of workerPids) await server.waitForLine((line) => line.includes('Tessera listening') && line.includes(`"pid":${pid},`));
    const listening = logLines(server.stdout()).filter((line) => String(line.msg).startsWith('Tessera listening'));
    expect(new Set(listening.map((line) => line.pid))).toEqual(workerPids);
    const admin = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: 'a passphrase for the boss' }),
    });
    expect(admin.status).toBe(200);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, TEST_POSTGRES_URL, testSchemaName } from '../support/postgres.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { STRONG_PASSWORD, TEST_ARGON2 } from '../support/test-app.js';

const unavailable = await postgresUnavailable();
if (unavailable && !POSTGRES_REQUIRED) console.warn(`skipping the PostgreSQL fault tests: ${unavailable}`);

const USER = { username: 'fault@example.com', password: STRONG_PASSWORD };

/**
 * The real process on PostgreSQL through a TCP proxy the test can cut: the database going away
 * (backends terminated, the host unreachable) costs answers, never the process or a wrong answer.
 */
describe.skipIf(unavailable !== undefined && !POSTGRES_REQUIRED)('the real process when PostgreSQL fails', () => {
  const schema = testSchemaName();
  const applicationName = `tessera_fault_${randomBytes(4).toString('hex')}`;
  let proxy: TcpProxy;
  let server: ServerProcess;

  const login = (password = USER.password) =>
    fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USER.username, password }),
    });

  beforeAll(async () => {
    if (unavailable) throw new Error(`PostgreSQL required in CI: ${unavailable}`);
    const target = new URL(TEST_POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(TEST_POSTGRES_URL);
    url.port = String(proxy.port);
    url.searchParams.set('schema', schema);
    url.searchParams.set('application_name', applicationName);
    server = await startServer({ env: { DATABASE_URL: url.toString(), ...TEST_ARGON2 } });
    const registered = await fetch(`${server.url}/v1/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(USER),
    });
    expect(registered.status).toBe(200);
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    if (!unavailable) await dropSchema(schema);
  });

  it('survives its connections being terminated by the server, and reconnects', async () => {
    expect((await login()).status).toBe(200);
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    let terminated: number;
    try {
      const { rowCount } = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [applicationName]);
      terminated = rowCount ?? 0;
    } finally {
      await admin.end();
    }
    expect(terminated).toBeGreaterThan(0);
    // The signal: every pooled connection has reported its loss (the pool then drops it).
    await server.waitForLine(() => server.stdout().split('\n').filter((line) => line.includes('database connection lost')).length >= terminated);
    expect(server.child.exitCode).toBeNull();
    expect((await login()).status).toBe(200);
    expect(server.stdout()).not.toContain(STRONG_PASSWORD);
  });

  it('answers 503 with Retry-After while the database is unreachable, and resumes when it returns', async () => {
    await proxy.cut();
    const denied = await login();
    expect(denied.status).toBe(503);
    expect(denied.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(denied.headers.get('content-type')).toContain('application/problem+json');
    // A wrong password is not a success either, and not a 401 that would count as a failed login.
    expect((await login('wrong password, but who can tell')).status).toBe(503);
    // Under load: twenty at once, each answered (none hangs, none is a 500).
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => login(i % 2 === 0 ? USER.password : 'wrong')));
    expect(burst.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 503));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    // What resource servers need to verify tokens is served from memory.
    expect((await fetch(`${server.url}/.well-known/jwks.json`)).status).toBe(200);
    expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();

    const before = proxy.accepted();
    await proxy.restore();
    // The signal that service is back: readiness, which reconnects through the pool.
    let ready = await fetch(`${server.url}/readyz`);
    while (ready.status !== 200) {
      expect(ready.status).toBe(503);
      ready = await fetch(`${server.url}/readyz`);
    }
    expect(proxy.accepted()).toBeGreaterThan(before);
    expect((await login()).status).toBe(200);
  });
});

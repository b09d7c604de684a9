/**
 * Two real Tessera processes behind one imaginary load balancer: one PostgreSQL schema, one Redis,
 * started at once on an empty database. Whatever one instance decides, the other honours at once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, TEST_POSTGRES_URL, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { REDIS_REQUIRED, redisUnavailable, TEST_REDIS_URL, testRedisPrefix } from '../support/redis.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { STRONG_PASSWORD, TEST_ARGON2 } from '../support/test-app.js';

const missing = (await postgresUnavailable()) ?? (await redisUnavailable());
const required = POSTGRES_REQUIRED || REDIS_REQUIRED;
if (missing && !required) console.warn(`skipping the two-instance tests: ${missing}`);

const ADMIN = { username: 'root', password: STRONG_PASSWORD };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
type Answer = { status: number; json: any };

function client(server: () => ServerProcess) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const init: RequestInit = { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${server().url}${path}`, init);
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
}

describe.skipIf(missing !== undefined && !required)('two instances on one PostgreSQL and one Redis', () => {
  const schema = testSchemaName();
  const run = randomBytes(4).toString('hex');
  let a: ServerProcess;
  let b: ServerProcess;
  const onA = client(() => a);
  const onB = client(() => b);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function register(name: string): Promise<{ username: string; access: string; refresh: string; id: string }> {
    const username = `${name}-${run}@example.com`;
    expect((await onA('POST', '/v1/user', { username, password: STRONG_PASSWORD })).status).toBe(200);
    const login = await onA('POST', '/v1/auth/login', { username, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
    const profile = await onA('GET', '/v1/user/profile', undefined, bearer(login.json.access_token));
    return { username, access: login.json.access_token, refresh: login.json.refresh_token, id: profile.json.id };
  }

  async function adminToken(): Promise<string> {
    const login = await onA('POST', '/v1/auth/login', ADMIN);
    expect(login.status).toBe(200);
    return login.json.access_token;
  }

  beforeAll(async () => {
    if (missing) throw new Error(`PostgreSQL and Redis required in CI: ${missing}`);
    const env = {
      DATABASE_URL: urlWithSchema(schema),
      // Behind a load balancer every instance has the one public address, so one issuer.
      PUBLIC_URL: 'https://auth.tessera.example',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: testRedisPrefix(),
      TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      LOG_LEVEL: 'info',
      ...TEST_ARGON2,
    };
    // At once, on a schema that does not exist yet: migrations, the first key and the admin race.
    [a, b] = await Promise.all([startServer({ env }), startServer({ env })]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (!missing) await dropSchema(schema);
  });

  it('started at once, they made one signing key and one admin, and both count throttles in Redis', async () => {
    const db = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await db.connect();
    try {
      const keys = await db.query(`select count(*)::int as n from "${schema}".signing_keys`);
      expect(keys.rows[0].n).toBe(1);
      const admins = await db.query(`select count(*)::int as n from "${schema}".users where username = $1`, [ADMIN.username]);
      expect(admins.rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
    expect((await onA('GET', '/.well-known/jwks.json')).json).toEqual((await onB('GET', '/.well-known/jwks.json')).json);
    for (const server of [a, b]) expect(server.stdout()).toContain('Redis connected');
  });

  it('a token from A works on B at once', async () => {
    const user = await register('carry');
    expect((await onB('GET', '/v1/user/profile', undefined, bearer(user.access))).json).toMatchObject({ username: user.username });
  });

  it('refresh on A, then the old token replayed on B: the family is revoked on both', async () => {
    const user = await register('replay');
    const rotated = await onA('POST', '/v1/auth/refresh', { token: user.refresh });
    expect(rotated.status).toBe(200);
    expect((await onB('POST', '/v1/auth/refresh', { token: user.refresh })).status).toBe(401);
    expect((await onA('POST', '/v1/auth/refresh', { token: rotated.json.refresh_token })).status).toBe(401);
    expect((await onB('GET', '/v1/user/profile', undefined, bearer(rotated.json.access_token))).status).toBe(401);
  });

  it('an API key deleted on A is refused on B at once', async () => {
    const user = await register('keys');
    const login = await onA('POST', '/user/login', { username: user.username, password: STRONG_PASSWORD });
    const added = await onA('POST', '/authheader/add', { name: 'shared' }, { authorization: login.json.Token });
    expect(added.status).toBe(200);
    const key = added.json.token as string;
    expect((await onB('GET', '/v1/user/profile', undefined, { 'x-api-key': key })).status).toBe(200);
    expect((await onA('POST', '/authheader/delete', { text: key }, { authorization: login.json.Token })).status).toBe(200);
    expect((await onB('GET', '/v1/user/profile', undefined, { 'x-api-key': key })).status).toBe(401);
  });

  it('wrong passwords alternating between A and B meet 429 within the free attempts of one instance', async () => {
    const user = await register('guess');
    const statuses: number[] = [];
    // LOGIN_FREE_ATTEMPTS is 5: with counters per process, ten alternating guesses are five each.
    for (let i = 0; i < 10; i += 1) {
      statuses.push((await (i % 2 === 0 ? onA : onB)('POST', '/v1/auth/login', { username: user.username, password: `wrong ${i}` })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('a key rotated on A verifies on B at once', async () => {
    const admin = await adminToken();
    const rotated = await onA('POST', '/v1/admin/keys/rotate', undefined, bearer(admin));
    expect(rotated.status).toBe(200);
    const user = await register('rotated');
    expect((await onB('GET', '/v1/user/profile', undefined, bearer(user.access))).status).toBe(200);
  });

  it('a user locked on A is refused on B at once', async () => {
    const user = await register('locked');
    const admin = await adminToken();
    expect((await onA('PATCH', `/v1/admin/users/${user.id}`, { locked: true }, bearer(admin))).status).toBe(200);
    expect((await onB('GET', '/v1/user/profile', undefined, bearer(user.access))).status).toBe(403);
  });
});

describe.skipIf(missing !== undefined && !required)('two instances on one PostgreSQL, no Redis', () => {
  const schema = testSchemaName();
  let a: ServerProcess;
  let b: ServerProcess;
  const onA = client(() => a);
  const onB = client(() => b);

  beforeAll(async () => {
    if (missing) throw new Error(`PostgreSQL and Redis required in CI: ${missing}`);
    const env = { DATABASE_URL: urlWithSchema(schema), PUBLIC_URL: 'https://auth.tessera.example', LOG_LEVEL: 'warn', ...TEST_ARGON2 };
    a = await startServer({ env });
    b = await startServer({ env });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (!missing) await dropSchema(schema);
  });

  it('count wrong passwords in the database: alternating guesses meet 429 within one instance\'s free attempts', async () => {
    const username = `db-guess-${randomBytes(4).toString('hex')}@example.com`;
    expect((await onA('POST', '/v1/user', { username, password: STRONG_PASSWORD })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await (i % 2 === 0 ? onA : onB)('POST', '/v1/auth/login', { username, password: `wrong ${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

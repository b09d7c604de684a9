import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Values that pass no schema (a Basic credential, the inside of a cursor) or that a schema bounds
 * (limits, path parameters, query values) must be a 4xx before they reach a query, on PostgreSQL
 * exactly as on SQLite: PostgreSQL refuses NUL in text and numbers outside bigint, and answered 500.
 */
const unavailable = await postgresUnavailable();
if (unavailable && !POSTGRES_REQUIRED) console.warn(`skipping the PostgreSQL half of the storable-input tests: ${unavailable}`);
const pgSchema = testSchemaName();

const backends: Array<{ name: string; skip: boolean; env: Record<string, string> }> = [
  { name: 'SQLite', skip: false, env: {} },
  { name: 'PostgreSQL', skip: unavailable !== undefined && !POSTGRES_REQUIRED, env: { DATABASE_URL: urlWithSchema(pgSchema) } },
];

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const NO_ONE = '00000000-0000-4000-8000-000000000000';
const basic = (credentials: string | Buffer) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const cursorOf = (json: string) => Buffer.from(json).toString('base64url');

describe.each(backends)('storable input on $name', ({ name, skip, env }) => {
  let t: TestApp;
  let admin: string;
  let user: { id: string; token: string };
  let client: { id: string; secret: string };

  beforeAll(async () => {
    if (name === 'PostgreSQL' && unavailable) throw new Error(`PostgreSQL required in CI: ${unavailable}`);
    t = await createTestApp({ ...env, TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json().access_token;
    const token = (await registerUser(t, 'storable@example.com')).access_token;
    user = { id: (await t.request('GET', '/v1/user/profile', { token })).json().id, token };
    const made = (await t.request('POST', '/v1/admin/clients', { token: admin, body: { name: 'storable' } })).json();
    client = { id: made.clientId, secret: made.clientSecret };
  });
  afterAll(async () => {
    await t?.close();
    if (name === 'PostgreSQL' && !unavailable) await dropSchema(pgSchema);
  });

  it.skipIf(skip)('a Basic client id or secret with NUL, a control character, bad UTF-8 or too long is invalid_client', async () => {
    const good = await t.request('POST', '/oauth2/token', { body: 'grant_type=client_credentials', headers: { ...FORM, authorization: basic(`${client.id}:${client.secret}`) } });
    expect(good.statusCode, good.body).toBe(200);
    const bad = [
      `a\u0000b:${client.secret}`,
      `a%00b:${client.secret}`,
      `${client.id}:se%00cret`,
      `${client.id}\u0001:${client.secret}`,
      `${'c'.repeat(201)}:${client.secret}`,
      `${client.id}:${'s'.repeat(201)}`,
      `a%ED%A0%80:${client.secret}`,
      `a%:${client.secret}`,
      Buffer.concat([Buffer.from('a'), Buffer.from([0xff]), Buffer.from(`:${client.secret}`)]),
    ];
    for (const credentials of bad) {
      for (const [path, form] of [['/oauth2/token', 'grant_type=client_credentials'], ['/oauth2/introspect', 'token=x'], ['/oauth2/revoke', 'token=x']] as const) {
        const res = await t.request('POST', path, { body: form, headers: { ...FORM, authorization: basic(credentials) } });
        expect(res.statusCode, `${path} ${JSON.stringify(credentials.toString())}: ${res.body}`).toBe(401);
        expect(res.json()).toMatchObject({ error: 'invalid_client' });
      }
    }
  });

  it.skipIf(skip)('a forged admin cursor (NUL, out-of-range or fractional time, lone surrogate) is a 400 naming the cursor', async () => {
    await registerUser(t, 'storable-2@example.com');
    const page = (await t.request('GET', '/v1/admin/users?limit=1', { token: admin })).json();
    expect((await t.request('GET', `/v1/admin/users?limit=1&cursor=${page.nextCursor}`, { token: admin })).statusCode).toBe(200);
    const forged = [
      `[1,"a\\u0000b"]`,
      `[1e30,"${user.id}"]`,
      `[1e400,"${user.id}"]`,
      `[-1e400,"${user.id}"]`,
      `[1.5,"${user.id}"]`,
      `[9007199254740993,"${user.id}"]`,
      `[1,"\\ud800"]`,
      `["1","${user.id}"]`,
      `not json`,
    ];
    for (const json of forged) {
      const problem = expectProblem(await t.request('GET', `/v1/admin/users?cursor=${cursorOf(json)}`, { token: admin }), 400, 'invalid_input');
      expect(problem.errors?.map((e) => e.field), json).toEqual(['cursor']);
    }
    expectProblem(await t.request('GET', `/v1/admin/users?cursor=a%00b`, { token: admin }), 400, 'invalid_input');
  });

  it.skipIf(skip)('admin list limits out of range or not numbers are a 400 naming the limit', async () => {
    for (const path of ['/v1/admin/users', '/v1/admin/audit']) {
      for (const limit of ['', '0', '-1', '1e30', '99999999999999999999', '9223372036854775808', 'NaN', 'Infinity', 'abc', '%00']) {
        const problem = expectProblem(await t.request('GET', `${path}?limit=${limit}`, { token: admin }), 400, 'invalid_input');
        expect(problem.errors?.map((e) => e.field), `${path} ${limit}`).toContain('limit');
      }
    }
  });

  it.skipIf(skip)('NUL in a path parameter or a query value is a 400 before any query', async () => {
    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/v1/admin/users/a%00b'],
      ['PATCH', '/v1/admin/users/a%00b', { locked: true }],
      ['DELETE', '/v1/admin/users/a%00b'],
      ['GET', `/v1/admin/users/a%00b/sessions`],
      ['DELETE', `/v1/admin/users/${user.id}/sessions/a%00b`],
      ['DELETE', '/v1/admin/clients/a%00b'],
      ['PUT', `/v1/admin/accounts/a%00b/members/${user.id}`, { role: 'member' }],
      ['DELETE', `/v1/admin/accounts/${NO_ONE}/members/a%00b`],
      ['GET', '/v1/admin/users?query=a%00b'],
      ['GET', '/v1/admin/audit?userId=a%00b'],
      ['GET', '/v1/user/confirm/a%00b'],
    ];
    for (const [method, path, body] of requests) {
      expectProblem(await t.request(method, path, { token: admin, ...(body ? { body } : {}) }), 400, 'invalid_input');
    }
    expectProblem(await t.request('DELETE', '/v1/user/sessions/a%00b', { token: user.token }), 400, 'invalid_input');
    // and the well-formed forms of the same requests still reach the database
    expectProblem(await t.request('GET', `/v1/admin/users/${NO_ONE}`, { token: admin }), 404);
    expect((await t.request('GET', `/v1/admin/audit?userId=${user.id}&limit=500`, { token: admin })).statusCode).toBe(200);
  });
});

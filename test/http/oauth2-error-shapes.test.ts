/**
 * The OAuth endpoints answer every error in RFC 6749's `{error, error_description}` shape
 * (application/json, no-store), never problem JSON: errors from the route, and from everything
 * that runs before it (the X-nugios-timezone and URL guards, the form parser, the body limit, the
 * content-type check) or under it (throttling, the database). And the Basic challenge comes only
 * to a client that used HTTP Basic (RFC 6749 section 5.2).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, TEST_POSTGRES_URL, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const unavailable = await postgresUnavailable();
const ENDPOINTS = ['/oauth2/token', '/oauth2/introspect', '/oauth2/revoke'] as const;
/** A valid form for each endpoint, so only the fault under test is wrong. */
const GOOD_FORM: Record<(typeof ENDPOINTS)[number], string> = {
  '/oauth2/token': 'grant_type=client_credentials',
  '/oauth2/introspect': 'token=abc',
  '/oauth2/revoke': 'token=abc',
};

function expectOAuthError(res: LightMyRequestResponse, status: number, error: string, what: string): void {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
  expect(res.headers['content-type'], what).toMatch(/^application\/json/);
  expect(res.headers['cache-control'], what).toBe('no-store');
  expect(res.json(), what).toEqual({ error, error_description: expect.any(String) });
}

describe('OAuth error shapes before and around the endpoints', () => {
  let t: TestApp;
  let auth: string;

  const post = (url: string, body: string | Buffer | object, headers: Record<string, string> = FORM) =>
    t.request('POST', url, { body, headers: { authorization: auth, ...headers } });

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_FREE_ATTEMPTS: '2' });
    const made = await t.app.core.clients.register({ name: 'shapes' }, {});
    auth = basic(made.client.id, made.clientSecret);
  });
  afterAll(async () => t.close());

  it('a body that is not a form is 400 invalid_request (JSON, text, multipart, none declared)', async () => {
    for (const url of ENDPOINTS) {
      expectOAuthError(await post(url, { grant_type: 'client_credentials', token: 'abc' }, { 'content-type': 'application/json' }), 400, 'invalid_request', `${url} JSON`);
      for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
        expectOAuthError(await post(url, GOOD_FORM[url], { 'content-type': type }), 400, 'invalid_request', `${url} ${type}`);
      }
      expectOAuthError(await post(url, GOOD_FORM[url], {}), 400, 'invalid_request', `${url} without content-type`);
    }
    const json = await post('/oauth2/token', '{}', { 'content-type': 'application/json' });
    expect(json.json().error_description).toContain('application/x-www-form-urlencoded');
  });

  it('an unparsable form is 400 invalid_request (bad UTF-8, bad escapes, repeated fields)', async () => {
    for (const url of ENDPOINTS) {
      expectOAuthError(await post(url, Buffer.concat([Buffer.from(`${GOOD_FORM[url]}&x=`), Buffer.from([0xc3, 0x28])])), 400, 'invalid_request', `${url} bytes`);
      expectOAuthError(await post(url, `${GOOD_FORM[url]}&x=100%`), 400, 'invalid_request', `${url} %`);
      expectOAuthError(await post(url, `${GOOD_FORM[url]}&x=%ED%A0%80`), 400, 'invalid_request', `${url} surrogate`);
      expectOAuthError(await post(url, `${GOOD_FORM[url]}&${GOOD_FORM[url]}`), 400, 'invalid_request', `${url} repeated`);
      expectOAuthError(await post(url, ''), 400, 'invalid_request', `${url} empty`);
    }
  });

  it('a body over 64 KiB is 413 in the OAuth shape', async () => {
    for (const url of ENDPOINTS) {
      expectOAuthError(await post(url, `${GOOD_FORM[url]}&pad=${'p'.repeat(64 * 1024)}`), 413, 'invalid_request', url);
    }
  });

  it('a bad X-nugios-timezone or URL is 400 invalid_request there, and stays problem JSON elsewhere', async () => {
    for (const url of ENDPOINTS) {
      for (const zone of ['abc', '841', '1.5']) {
        expectOAuthError(await post(url, GOOD_FORM[url], { ...FORM, 'x-nugios-timezone': zone }), 400, 'invalid_request', `${url} timezone ${zone}`);
      }
      expectOAuthError(await post(`${url}?x=%ED%A0%80`, GOOD_FORM[url]), 400, 'invalid_request', `${url} URL`);
    }
    const native = await t.request('POST', '/v1/auth/login', { body: { username: 'a', password: 'b' }, headers: { 'x-nugios-timezone': 'abc' } });
    expect(native.statusCode).toBe(400);
    expect(native.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(native.json().errors).toEqual([expect.objectContaining({ field: 'X-nugios-timezone' })]);
  });

  it('throttled password grants are 429 slow_down with Retry-After', async () => {
    const grant = () => post('/oauth2/token', `grant_type=password&username=throttled&password=${encodeURIComponent(STRONG_PASSWORD)}`, { ...FORM, authorization: '' });
    expectOAuthError(await grant(), 400, 'invalid_grant', 'first');
    expectOAuthError(await grant(), 400, 'invalid_grant', 'second');
    const throttled = await grant();
    expectOAuthError(throttled, 429, 'slow_down', 'third');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('no error of these endpoints is problem JSON and none carries a challenge without Basic', async () => {
    const answers = [
      await post('/oauth2/token', 'grant_type=nope', { ...FORM, authorization: '' }),
      await post('/oauth2/token', 'grant_type=client_credentials', { ...FORM, authorization: '' }),
      await post('/oauth2/introspect', 'token=abc', { ...FORM, authorization: '' }),
      await post('/oauth2/revoke', 'token=abc&client_id=x&client_secret=y', { ...FORM, authorization: '' }),
      await post('/oauth2/token', '{}', { 'content-type': 'application/json', authorization: '' }),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['www-authenticate'], res.body).toBeUndefined();
    }
  });
});

/**
 * The database going away for real: the app on PostgreSQL through a TCP proxy the test cuts
 * (test/support/tcp-proxy.ts), as the process e2e does. Skipped without PostgreSQL outside CI.
 */
describe.skipIf(unavailable !== undefined && !POSTGRES_REQUIRED)('OAuth endpoints while the database is unreachable', () => {
  it('answer 503 temporarily_unavailable with Retry-After, a bearer caller too', async () => {
    if (unavailable) throw new Error(`PostgreSQL required in CI: ${unavailable}`);
    const target = new URL(TEST_POSTGRES_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const schema = testSchemaName();
    const url = new URL(urlWithSchema(schema));
    url.port = String(proxy.port);
    const t = await createTestApp({ DATABASE_URL: url.toString(), TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    try {
      const made = await t.app.core.clients.register({ name: 'offline' }, {});
      const auth = basic(made.client.id, made.clientSecret);
      const admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json<{ access_token: string }>().access_token;
      // Right after the cut the pool may still hand out a connection whose end is on its way: the
      // request must fail as a 503, and the process must not (postgres-dialect.ts).
      await proxy.cut();
      const answers: Array<[string, LightMyRequestResponse]> = [
        ['token', await t.request('POST', '/oauth2/token', { body: 'grant_type=client_credentials', headers: { ...FORM, authorization: auth } })],
        ['introspect (client)', await t.request('POST', '/oauth2/introspect', { body: 'token=abc', headers: { ...FORM, authorization: auth } })],
        ['introspect (bearer)', await t.request('POST', '/oauth2/introspect', { body: 'token=abc', headers: { ...FORM, authorization: `Bearer ${admin}` } })],
        ['revoke', await t.request('POST', '/oauth2/revoke', { body: 'token=abc', headers: FORM })],
      ];
      for (const [what, res] of answers) {
        expectOAuthError(res, 503, 'temporarily_unavailable', what);
        expect(res.headers['retry-after'], what).toBe('5');
        expect(res.headers['www-authenticate'], what).toBeUndefined();
      }
      await proxy.restore();
    } finally {
      await t.close();
      await proxy.close();
      await dropSchema(schema);
    }
  });
});

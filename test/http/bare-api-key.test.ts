import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Seed 001 sends its credential as `Authorization: <token>`, no scheme. A key from
 * `/authheader/add` works that way on every protected route that accepts API keys, like a bare
 * JWT; a bare value that is no live key is a 401 in the surface's problem JSON; a deleted key
 * stops at once. `Bearer`, `ApiKey` and `X-API-Key` keep working.
 */
let t: TestApp;
let jwt: string;
let key: string;
let userId: string;

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: 'root-admin:correct horse battery staple' });
  expect((await t.request('POST', '/v1/user', { body: { username: 'bare-key-user', password: STRONG_PASSWORD } })).statusCode).toBe(200);
  const login = await t.request('POST', '/user/login', { body: { username: 'bare-key-user', password: STRONG_PASSWORD } });
  ({ Token: jwt, Id: userId } = login.json<{ Token: string; Id: string }>());
  // The seed's own way: the login JWT bare in Authorization.
  const added = await t.request('POST', '/authheader/add', { headers: { authorization: jwt }, body: { name: 'bare' } });
  expect(added.statusCode, added.body).toBe(200);
  key = added.json<{ token: string }>().token;
});
afterAll(async () => t.close());

/** The protected routes, per surface, that an API key may call; each answers the key's owner. */
const KEY_ROUTES: { surface: string; method: string; url: string; body?: unknown; owner: (json: Record<string, unknown>) => unknown }[] = [
  { surface: 'native (seed 002)', method: 'GET', url: '/v1/user/profile', owner: (j) => j.id },
  { surface: 'native (seed 002)', method: 'GET', url: '/v1/user/sessions', owner: () => userId },
  { surface: 'native (seed 002)', method: 'POST', url: '/v1/user/address', body: { address: '1 Main St', type: 'home' }, owner: () => userId },
  { surface: 'iot (seed 003)', method: 'GET', url: '/v1/api/auth/me', owner: (j) => j.id },
];

const call = (route: (typeof KEY_ROUTES)[number], headers: Record<string, string>) =>
  t.request(route.method, route.url, { headers, ...(route.body === undefined ? {} : { body: route.body }) });

describe('a bare "Authorization: <api key>"', () => {
  for (const route of KEY_ROUTES) {
    it(`authenticates as the owner on ${route.surface} ${route.method} ${route.url}, like Bearer, ApiKey and X-API-Key`, async () => {
      const ways: Record<string, string>[] = [{ authorization: key }, { authorization: ` ${key} ` }, { authorization: `Bearer ${key}` }, { authorization: `ApiKey ${key}` }, { 'x-api-key': key }];
      for (const headers of ways) {
        const res = await call(route, headers);
        expect(res.statusCode, `${JSON.stringify(headers)}: ${res.body}`).toBe(200);
        expect(route.owner(res.json())).toBe(userId);
      }
    });
  }

  it('is the key (not "no credential"): the key-only refusals answer it with 403, as for ApiKey', async () => {
    expectProblem(await t.request('GET', '/authheader/list', { headers: { authorization: key } }), 403, 'forbidden');
    expectProblem(await t.request('POST', '/authheader/add', { headers: { authorization: key }, body: { name: 'no' } }), 403, 'forbidden');
    expectProblem(await t.request('POST', '/v1/user/password/change', { headers: { authorization: key }, body: { password: 'a key must not set this' } }), 403, 'forbidden');
  });

  it("of an admin's key is refused by the admin API (403), as every key is", async () => {
    const adminJwt = (await t.request('POST', '/user/login', { body: { username: 'root-admin', password: STRONG_PASSWORD } })).json<{ Token: string }>().Token;
    const adminKey = (await t.request('POST', '/authheader/add', { headers: { authorization: adminJwt }, body: { name: 'admin-key' } })).json<{ token: string }>().token;
    expect((await t.request('GET', '/v1/admin/users', { headers: { authorization: adminJwt } })).statusCode).toBe(200);
    expectProblem(await t.request('GET', '/v1/admin/users', { headers: { authorization: adminKey } }), 403, 'forbidden');
  });

  it('a bogus bare value is a 401 in problem JSON with WWW-Authenticate on every surface', async () => {
    const unknownKey = `tsk_${randomBytes(24).toString('base64url')}`;
    const BOGUS = [
      unknownKey, // the exact form, but no such key
      `${key}x`, // one character too many
      key.slice(0, -1), // one too few
      `TSK_${key.slice(4)}`, // the prefix is case-sensitive
      `${key.slice(0, 10)}.${key.slice(11)}`, // a character outside base64url
      'tsk_', // the prefix alone
      'not-a-credential',
      `Basic ${Buffer.from(`bare-key-user:${STRONG_PASSWORD}`).toString('base64')}`, // another scheme is no key
      `Token ${key}`, // nor is an unknown scheme with a key in it
    ];
    for (const route of KEY_ROUTES) {
      for (const value of BOGUS) {
        const res = await call(route, { authorization: value });
        expectProblem(res, 401);
        expect(res.headers['www-authenticate'], value).toMatch(/^Bearer realm="tessera"/);
        expect(res.body).not.toContain(value);
      }
    }
  });

  it('stops working at once when the key is deleted, in every presentation', async () => {
    const doomed = (await t.request('POST', '/authheader/add', { headers: { authorization: jwt }, body: { name: 'doomed' } })).json<{ token: string }>().token;
    expect((await t.request('GET', '/v1/user/profile', { headers: { authorization: doomed } })).statusCode).toBe(200);
    const deleted = await t.request('POST', '/authheader/delete', { headers: { authorization: jwt }, body: { text: doomed } });
    expect(deleted.statusCode, deleted.body).toBe(200);
    for (const route of KEY_ROUTES) {
      const ways: Record<string, string>[] = [{ authorization: doomed }, { authorization: `ApiKey ${doomed}` }, { 'x-api-key': doomed }];
      for (const headers of ways) {
        const res = await call(route, headers);
        expectProblem(res, 401, 'invalid_token');
      }
    }
    // The other key of the same user is untouched.
    expect((await t.request('GET', '/v1/user/profile', { headers: { authorization: key } })).statusCode).toBe(200);
  });

  it('leaves the bare JWT working as before', async () => {
    for (const route of KEY_ROUTES) expect((await call(route, { authorization: jwt })).statusCode).toBe(200);
  });
});

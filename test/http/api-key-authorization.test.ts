import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

interface AuthHeader {
  id: string;
  name: string;
  token: string;
  created: string;
}

let t: TestApp;
let alice: string;
let bob: string;
let aliceKey: AuthHeader;
let bobKey: AuthHeader;

async function addKey(jwt: string, name: string): Promise<AuthHeader> {
  const res = await t.request('POST', '/authheader/add', { token: jwt, body: { name } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuthHeader>();
}

beforeAll(async () => {
  t = await createTestApp();
  alice = (await registerUser(t, 'alice')).access_token;
  bob = (await registerUser(t, 'bob')).access_token;
  aliceKey = await addKey(alice, 'alice-key');
  bobKey = await addKey(bob, 'bob-key');
});
afterAll(async () => t.close());

/** Every way a key may be presented (bare, as seed 001 shows its Authorization header, too). */
const presentations = (key: string): Record<string, string>[] => [
  { authorization: key },
  { authorization: `Bearer ${key}` },
  { authorization: `ApiKey ${key}` },
  { 'x-api-key': key },
];

describe("users cannot reach each other's API keys", () => {
  it("B's list shows only B's keys", async () => {
    const res = await t.request('GET', '/authheader/list', { token: bob });
    expect(res.statusCode, res.body).toBe(200);
    const keys = res.json<AuthHeader[]>();
    expect(keys.map((k) => k.id)).toEqual([bobKey.id]);
    expect(res.body).not.toContain(aliceKey.id);
    expect(res.body).not.toContain(`${aliceKey.token.slice(0, 8)}...${aliceKey.token.slice(-4)}`);
    expect(res.body).not.toContain(aliceKey.token);
  });

  it("B using A's key is authenticated as A, never as B", async () => {
    const me = await t.request('GET', '/v1/api/auth/me', { token: aliceKey.token });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json<{ id: string }>().id).toBe(decodeJwt(alice).sub);
    expect(me.json<{ id: string }>().id).not.toBe(decodeJwt(bob).sub);
  });

  it("B cannot delete A's key (404) and it keeps working", async () => {
    const res = await t.request('POST', '/authheader/delete', { token: bob, body: { text: aliceKey.token } });
    expectProblem(res, 404, 'not_found');
    const still = await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': aliceKey.token } });
    expect(still.statusCode, still.body).toBe(200);
    const aliceList = (await t.request('GET', '/authheader/list', { token: alice })).json<AuthHeader[]>();
    expect(aliceList.map((k) => k.id)).toContain(aliceKey.id);
  });
});

describe('an API key cannot manage API keys or the password', () => {
  it('cannot mint a key: /authheader/add is 403 in every presentation', async () => {
    for (const headers of presentations(aliceKey.token)) {
      const res = await t.request('POST', '/authheader/add', { headers, body: { name: 'minted-by-key' } });
      expectProblem(res, 403, 'forbidden');
    }
    const list = (await t.request('GET', '/authheader/list', { token: alice })).json<AuthHeader[]>();
    expect(list.map((k) => k.name)).not.toContain('minted-by-key');
  });

  it('cannot list keys (403)', async () => {
    for (const headers of presentations(aliceKey.token)) {
      const res = await t.request('GET', '/authheader/list', { headers });
      const body = expectProblem(res, 403, 'forbidden');
      expect(JSON.stringify(body)).not.toContain(aliceKey.token);
    }
  });

  it('cannot delete keys, not even itself (403)', async () => {
    const other = await addKey(alice, 'alice-other');
    for (const headers of presentations(aliceKey.token)) {
      expectProblem(await t.request('POST', '/authheader/delete', { headers, body: { text: other.token } }), 403, 'forbidden');
      expectProblem(await t.request('POST', '/authheader/delete', { headers, body: { text: aliceKey.token } }), 403, 'forbidden');
    }
    expect((await t.request('GET', '/v1/api/auth/me', { token: other.token })).statusCode).toBe(200);
    expect((await t.request('GET', '/v1/api/auth/me', { token: aliceKey.token })).statusCode).toBe(200);
  });

  it('cannot change the password (403), with or without oldPassword', async () => {
    for (const headers of presentations(aliceKey.token)) {
      const withOld = await t.request('POST', '/v1/user/password/change', {
        headers,
        body: { oldPassword: STRONG_PASSWORD, password: 'a key must not set this' },
      });
      expectProblem(withOld, 403, 'forbidden');
      const withoutOld = await t.request('POST', '/v1/user/password/change', { headers, body: { password: 'a key must not set this' } });
      expectProblem(withoutOld, 403, 'forbidden');
    }
    // The password is unchanged.
    await login(t, 'alice');
    expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'alice', password: 'a key must not set this' } }), 401);
  });

  it('still reads what its owner may read', async () => {
    const profile = await t.request('GET', '/v1/user/profile', { headers: { authorization: `ApiKey ${aliceKey.token}` } });
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json<{ username: string }>().username).toBe('alice');
  });

  it('a login token of the same user may still manage keys', async () => {
    const fresh = await login(t, 'alice');
    const key = await addKey(fresh.access_token, 'from-login');
    const res = await t.request('POST', '/authheader/delete', { token: fresh.access_token, body: { text: key.token } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Success' });
  });
});

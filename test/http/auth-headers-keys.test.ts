import { readFileSync, existsSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

interface AuthHeader {
  id: string;
  name: string;
  token: string;
  created: string;
}

const SEED_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;
const FULL_KEY = /^tsk_[A-Za-z0-9_-]{32}$/;
const masked = (full: string) => `${full.slice(0, 8)}...${full.slice(-4)}`;

/** Logs in through seed 001 and answers its Token. */
async function seedLogin(t: TestApp, username: string): Promise<string> {
  const res = await t.request('POST', '/user/login', { body: { username, password: STRONG_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ Token: string }>().Token;
}

/** Adds a key with the seed's bare `Authorization: <jwt>` header. */
async function addKey(t: TestApp, jwt: string, name: string): Promise<AuthHeader> {
  const res = await t.request('POST', '/authheader/add', { body: { name }, headers: { authorization: jwt } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuthHeader>();
}

const list = (t: TestApp, jwt: string) => t.request('GET', '/authheader/list', { headers: { authorization: jwt } });

describe('auth-headers (seed 001): /authheader/add, list, delete', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await createTestApp();
    await registerUser(t, 'alice');
    await registerUser(t, 'bob');
    alice = await seedLogin(t, 'alice');
    bob = await seedLogin(t, 'bob');
  });
  afterAll(async () => t.close());

  it('add answers {id, name, token, created} with the full tsk_ token, once', async () => {
    const createdAt = t.clock.now();
    const res = await t.request('POST', '/authheader/add', { body: { name: 'production-api-key' }, headers: { authorization: alice } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const key = res.json<AuthHeader>();
    expect(Object.keys(key).sort()).toEqual(['created', 'id', 'name', 'token']);
    expect(typeof key.id).toBe('string');
    expect(key.id.length).toBeGreaterThan(0);
    expect(key.name).toBe('production-api-key');
    expect(key.token).toMatch(FULL_KEY);
    expect(key.created).toMatch(SEED_DATE_TIME);
    expect(key.created).toBe(new Date(createdAt).toISOString().slice(0, 19));
  });

  it('add without a credential is 401, with an empty name is 400', async () => {
    const none = await t.request('POST', '/authheader/add', { body: { name: 'x' } });
    expectProblem(none, 401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
    expectProblem(await t.request('POST', '/authheader/add', { body: { name: '' }, headers: { authorization: alice } }), 400);
    expectProblem(await t.request('POST', '/authheader/add', { body: {}, headers: { authorization: alice } }), 400);
  });

  it('list answers only the caller\'s keys, masked as tsk_xxxx...last4, never the full token', async () => {
    const a1 = await addKey(t, alice, 'alice-one');
    const a2 = await addKey(t, alice, 'alice-two');
    const b1 = await addKey(t, bob, 'bob-one');

    const res = await list(t, alice);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const keys = res.json<AuthHeader[]>();
    expect(Array.isArray(keys)).toBe(true);
    expect(keys.map((k) => k.id)).toEqual(expect.arrayContaining([a1.id, a2.id]));
    expect(keys.map((k) => k.id)).not.toContain(b1.id);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['created', 'id', 'name', 'token']);
      expect(key.token).toMatch(/^tsk_[A-Za-z0-9_-]{4}\.\.\.[A-Za-z0-9_-]{4}$/);
      expect(key.created).toMatch(SEED_DATE_TIME);
    }
    const one = keys.find((k) => k.id === a1.id)!;
    expect(one).toEqual({ id: a1.id, name: 'alice-one', token: masked(a1.token), created: a1.created });
    for (const full of [a1.token, a2.token, b1.token]) expect(res.body).not.toContain(full);

    const bobs = (await list(t, bob)).json<AuthHeader[]>();
    expect(bobs.map((k) => k.id)).toEqual([b1.id]);
  });

  it('a created key authenticates as its owner and records when it was last used', async () => {
    const key = await addKey(t, alice, 'used-key');
    const before = (await t.app.core.store.apiKeys.listByUser(decodeJwt(alice).sub!)).find((k) => k.id === key.id)!;
    expect(before.lastUsedAt).toBeNull();

    t.clock.advanceSeconds(5);
    const usedAt = t.clock.now();
    const res = await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': key.token } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ username: string }>().username).toBe('alice');
    const lastUsed = async () => (await t.app.core.store.apiKeys.listByUser(decodeJwt(alice).sub!)).find((k) => k.id === key.id)!.lastUsedAt;
    expect(await lastUsed()).toBe(usedAt);

    // Written at most once a minute, so authentication stays read-mostly.
    t.clock.advanceSeconds(30);
    expect((await t.request('GET', '/v1/api/auth/me', { token: key.token })).statusCode).toBe(200);
    expect(await lastUsed()).toBe(usedAt);
    t.clock.advanceSeconds(31);
    expect((await t.request('GET', '/v1/api/auth/me', { headers: { authorization: `ApiKey ${key.token}` } })).statusCode).toBe(200);
    expect(await lastUsed()).toBe(t.clock.now());
  });

  it('delete {text: fullToken} answers {message: "Success"} and the key stops working', async () => {
    const key = await addKey(t, alice, 'doomed');
    expect((await t.request('GET', '/v1/api/auth/me', { token: key.token })).statusCode).toBe(200);

    const res = await t.request('POST', '/authheader/delete', { body: { text: key.token }, headers: { authorization: alice } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Success' });

    expectProblem(await t.request('GET', '/v1/api/auth/me', { token: key.token }), 401);
    expectProblem(await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': key.token } }), 401);
    expect((await list(t, alice)).json<AuthHeader[]>().map((k) => k.id)).not.toContain(key.id);
    // Deleting it again: it is no longer the caller's.
    expectProblem(await t.request('POST', '/authheader/delete', { body: { text: key.token }, headers: { authorization: alice } }), 404);
  });

  it("delete of another user's key is 404 and the key keeps working", async () => {
    const key = await addKey(t, bob, 'bob-keeps');
    const res = await t.request('POST', '/authheader/delete', { body: { text: key.token }, headers: { authorization: alice } });
    expectProblem(res, 404, 'not_found');
    const me = await t.request('GET', '/v1/api/auth/me', { token: key.token });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json<{ id: string }>().id).toBe(decodeJwt(bob).sub);
  });

  it('delete by the masked form or garbage is 404, without text 400', async () => {
    const key = await addKey(t, alice, 'masked-delete');
    expectProblem(await t.request('POST', '/authheader/delete', { body: { text: masked(key.token) }, headers: { authorization: alice } }), 404);
    expectProblem(await t.request('POST', '/authheader/delete', { body: { text: 'garbage' }, headers: { authorization: alice } }), 404);
    expectProblem(await t.request('POST', '/authheader/delete', { body: {}, headers: { authorization: alice } }), 400);
    expect((await t.request('GET', '/v1/api/auth/me', { token: key.token })).statusCode).toBe(200);
  });
});

describe('seed 001 with API_KEY_ENCRYPTION_KEY (legacy show-in-list option)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Reads the SQLite file itself, and opens a second instance on it.
    t = await createTestApp({ API_KEY_ENCRYPTION_KEY: 'a1'.repeat(32) }, { sqliteOnly: true });
  });
  afterAll(async () => t.close());

  it('list shows the full token, and the database holds no plaintext key', async () => {
    await registerUser(t, 'legacy');
    const jwt = await seedLogin(t, 'legacy');
    const key = await addKey(t, jwt, 'legacy-key');
    const keys = (await list(t, jwt)).json<AuthHeader[]>();
    expect(keys).toEqual([{ id: key.id, name: 'legacy-key', token: key.token, created: key.created }]);

    const files = [`${t.dir}/tessera.db`, `${t.dir}/tessera.db-wal`].filter((file) => existsSync(file));
    expect(files).toContain(`${t.dir}/tessera.db`);
    const stored = Buffer.concat(files.map((file) => readFileSync(file)));
    // The visible prefix is stored in clear, which shows the search sees the written row at all.
    expect(stored.includes(Buffer.from(key.token.slice(0, 8), 'utf8'))).toBe(true);
    expect(stored.includes(Buffer.from(key.token, 'utf8'))).toBe(false);
    expect(stored.includes(Buffer.from(key.token.slice(8), 'utf8'))).toBe(false);

    // The key still authenticates and deletes as usual.
    expect((await t.request('GET', '/v1/api/auth/me', { headers: { authorization: `ApiKey ${key.token}` } })).statusCode).toBe(200);
    const res = await t.request('POST', '/authheader/delete', { body: { text: key.token }, headers: { authorization: jwt } });
    expect(res.json()).toEqual({ message: 'Success' });
  });

  it('shows a key masked, not a 500, when the option is off or API_KEY_ENCRYPTION_KEY has changed', async () => {
    await registerUser(t, 'rotator');
    const jwt = await seedLogin(t, 'rotator');
    const key = await addKey(t, jwt, 'rotated');
    const configs: Record<string, string>[] = [{ API_KEY_ENCRYPTION_KEY: 'b2'.repeat(32) }, {}];
    for (const env of configs) {
      // A second instance on the same database file, configured differently.
      const other = await createTestApp({ ...env, DATABASE_URL: `sqlite:${t.dir}/tessera.db` });
      try {
        const res = await list(other, jwt);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<AuthHeader[]>()).toEqual([{ id: key.id, name: 'rotated', token: masked(key.token), created: key.created }]);
        expect((await other.request('GET', '/v1/api/auth/me', { token: key.token })).statusCode).toBe(200);
      } finally {
        await other.close();
      }
    }
    expect((await list(t, jwt)).json<AuthHeader[]>()[0]!.token).toBe(key.token);
  });
});

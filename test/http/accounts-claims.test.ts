import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

type AccountClaim = { id: string; role: string };

/**
 * Tokens carry `roles` and `accounts: [{id, role}]` as they stand when the token is issued: a
 * re-login, a refresh or seed 003's `/token` picks up changes, an older token keeps its claims.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: 'root-admin:an admin passphrase for tests' });
});
afterAll(async () => t.close());

const byId = (a: AccountClaim, b: AccountClaim) => a.id.localeCompare(b.id);
const accountsOf = (token: string) => [...(decodeJwt(token).accounts as AccountClaim[])].sort(byId);
const rolesOf = (token: string) => decodeJwt(token).roles as string[];

async function iotToken(username: string, password = STRONG_PASSWORD): Promise<string> {
  const res = await t.request('POST', '/v1/api/auth/token', { body: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

async function refresh(refreshToken: string): Promise<TokenPair> {
  const res = await t.request('POST', '/v1/auth/refresh', { body: { token: refreshToken } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TokenPair>();
}

/** The access tokens of every login surface, for one user. */
async function everyLogin(username: string): Promise<string[]> {
  const creds = { username, password: STRONG_PASSWORD };
  const integration = await t.request('POST', '/api/Auth/Auth', { body: { login: username, password: STRONG_PASSWORD } });
  const seed001 = await t.request('POST', '/user/login', { body: creds });
  return [
    (await login(t, username)).access_token,
    integration.json<{ accessToken: string }>().accessToken,
    seed001.json<{ Token: string }>().Token,
    await iotToken(username),
  ];
}

describe('roles and accounts claims', () => {
  it('are empty for a new user on every login surface', async () => {
    const registered = await registerUser(t, 'newcomer');
    for (const token of [registered.access_token, ...(await everyLogin('newcomer'))]) {
      expect(decodeJwt(token).roles).toEqual([]);
      expect(decodeJwt(token).accounts).toEqual([]);
    }
  });

  it("carry the user's roles (the bootstrap admin) on every surface and in tokenInfo", async () => {
    const res = await t.request('POST', '/v1/api/auth/token', { body: { username: 'root-admin', password: 'an admin passphrase for tests' } });
    expect(res.statusCode, res.body).toBe(200);
    const token = res.json<{ token: string }>().token;
    expect(rolesOf(token)).toEqual(['admin']);
    const info = await t.request('GET', '/v1/api/auth/tokenInfo', { token });
    expect(info.json<{ payload: { roles: string[] } }>().payload.roles).toEqual(['admin']);
    const profile = await t.request('GET', '/v1/user/profile', { token });
    expect(profile.json<{ roles: string[] }>().roles).toEqual(['admin']);
  });

  it('reflect a new membership after re-login, refresh and /v1/api/auth/token; old tokens keep the old claims', async () => {
    const registered = await registerUser(t, 'joiner');
    const userId = decodeJwt(registered.access_token).sub!;
    const oldIot = await iotToken('joiner');
    const account = await t.app.core.accounts.create('Factory', {});
    await t.app.core.accounts.putMember(account.id, userId, 'member', {});
    const expected = [{ id: account.id, role: 'member' }];

    expect(accountsOf((await login(t, 'joiner')).access_token)).toEqual(expected);
    expect(accountsOf((await refresh(registered.refresh_token)).access_token)).toEqual(expected);
    expect(accountsOf(await iotToken('joiner'))).toEqual(expected);
    for (const token of await everyLogin('joiner')) expect(accountsOf(token)).toEqual(expected);

    // The tokens issued before the change still say what was true then, and still work.
    expect(accountsOf(registered.access_token)).toEqual([]);
    const oldInfo = await t.request('GET', '/v1/api/auth/tokenInfo', { token: oldIot });
    expect(oldInfo.statusCode, oldInfo.body).toBe(200);
    expect(oldInfo.json<{ payload: { accounts: AccountClaim[] } }>().payload.accounts).toEqual([]);
  });

  it('reflect a role change and a removal, across several accounts', async () => {
    const registered = await registerUser(t, 'mover');
    const userId = decodeJwt(registered.access_token).sub!;
    const a = await t.app.core.accounts.create('Alpha', {});
    const b = await t.app.core.accounts.create('Beta', {});
    await t.app.core.accounts.putMember(a.id, userId, 'member', {});
    await t.app.core.accounts.putMember(b.id, userId, 'viewer', {});
    const both = await login(t, 'mover');
    expect(accountsOf(both.access_token)).toEqual([{ id: a.id, role: 'member' }, { id: b.id, role: 'viewer' }].sort(byId));

    await t.app.core.accounts.putMember(a.id, userId, 'admin', {});
    const promoted = await refresh(both.refresh_token);
    expect(accountsOf(promoted.access_token)).toEqual([{ id: a.id, role: 'admin' }, { id: b.id, role: 'viewer' }].sort(byId));

    await t.app.core.accounts.removeMember(b.id, userId, {});
    expect(accountsOf(await iotToken('mover'))).toEqual([{ id: a.id, role: 'admin' }]);
    const removed = await refresh(promoted.refresh_token);
    expect(accountsOf(removed.access_token)).toEqual([{ id: a.id, role: 'admin' }]);
    // Earlier tokens keep their claims.
    expect(accountsOf(both.access_token)).toEqual([{ id: a.id, role: 'member' }, { id: b.id, role: 'viewer' }].sort(byId));
    await expect(t.app.core.accounts.removeMember(b.id, userId, {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reflect a change of user roles on refresh, while the old token keeps the old roles', async () => {
    const registered = await registerUser(t, 'promoted');
    const userId = decodeJwt(registered.access_token).sub!;
    await t.app.core.store.users.update(userId, { roles: ['operator'] });
    const refreshed = await refresh(registered.refresh_token);
    expect(rolesOf(refreshed.access_token)).toEqual(['operator']);
    expect(rolesOf(await iotToken('promoted'))).toEqual(['operator']);
    expect(rolesOf(registered.access_token)).toEqual([]);
  });

  it('an API key exchanged on /v1/auth/token yields the current memberships', async () => {
    const registered = await registerUser(t, 'keyed');
    const userId = decodeJwt(registered.access_token).sub!;
    const add = await t.request('POST', '/authheader/add', { token: registered.access_token, body: { name: 'k' } });
    const key = add.json<{ token: string }>().token;
    const account = await t.app.core.accounts.create('Keyed Co', {});
    await t.app.core.accounts.putMember(account.id, userId, 'member', {});
    const res = await t.request('POST', '/v1/auth/token', { body: { token: key } });
    expect(res.statusCode, res.body).toBe(200);
    expect(accountsOf(res.json<TokenPair>().access_token)).toEqual([{ id: account.id, role: 'member' }]);
  });

  it('refuse a role that is not a lower-case identifier, and unknown accounts or users', async () => {
    const registered = await registerUser(t, 'strict');
    const userId = decodeJwt(registered.access_token).sub!;
    const account = await t.app.core.accounts.create('Strict', {});
    await expect(t.app.core.accounts.putMember(account.id, userId, 'Admin Role', {})).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.app.core.accounts.putMember('00000000-0000-4000-8000-000000000000', userId, 'member', {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.app.core.accounts.putMember(account.id, '00000000-0000-4000-8000-000000000000', 'member', {})).rejects.toMatchObject({ code: 'not_found' });
    expect(accountsOf((await login(t, 'strict')).access_token)).toEqual([]);
  });
});

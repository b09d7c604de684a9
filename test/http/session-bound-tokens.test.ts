/**
 * Access tokens carry `sid` and die with their session at once on Tessera's own routes and in
 * introspection: logout, session revoke (own and admin), refresh reuse, lock, and deletion of the
 * API key that bought the session. Tokens of a client die with the client.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addApiKey,
  authHeadersLogin,
  basicAuth,
  createProbeApp,
  exchangeApiKey,
  expectAlive,
  expectDead,
  introspect,
  iotLogin,
  postForm,
  sidOf,
  subjectOf,
  type ProbeApp,
} from '../support/credential-probes.js';
import { expectProblem, login, type TokenPair } from '../support/native-helpers.js';
import { registerUser } from '../support/test-app.js';

const INACTIVE = '{"active":false}';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

const sessionIds = async (token: string) => (await p.t.request('GET', '/v1/user/sessions', { token })).json<Array<{ id: string }>>().map((s) => s.id);
const refresh = (token: string) => p.t.request('POST', '/v1/auth/refresh', { body: { token } });

describe('a token dies with its session', () => {
  it('logout: the access token of the logged-out session is refused at once, on routes and in introspection', async () => {
    await registerUser(p.t, 'logout-user');
    const pair = await login(p.t, 'logout-user');
    await expectAlive(p.t, pair.access_token, 'the fresh access token');
    const res = await p.t.request('POST', '/v1/auth/logout', { body: { token: pair.refresh_token } });
    expect(res.json()).toEqual({ revoked: true });
    await expectDead(p.t, pair.access_token, 'the access token after logout');
    expect(await introspect(p, pair.access_token)).toBe(INACTIVE);
  });

  it('DELETE /v1/user/sessions/{id}: the revoked session token dies, the caller keeps its own', async () => {
    const keeper = await registerUser(p.t, 'revoker');
    const doomed = await login(p.t, 'revoker');
    expect(await sessionIds(keeper.access_token)).toContain(sidOf(doomed.access_token));
    const res = await p.t.request('DELETE', `/v1/user/sessions/${String(sidOf(doomed.access_token))}`, { token: keeper.access_token });
    expect(res.statusCode, res.body).toBe(200);
    await expectDead(p.t, doomed.access_token, 'the access token of the revoked session');
    expect(await introspect(p, doomed.access_token)).toBe(INACTIVE);
    await expectAlive(p.t, keeper.access_token, "the revoking session's own token");
  });

  it('admin session revoke: the access token of that session dies at once', async () => {
    const pair = await registerUser(p.t, 'admin-revoked');
    const sid = String(sidOf(pair.access_token));
    const res = await p.t.request('DELETE', `/v1/admin/users/${subjectOf(pair.access_token)}/sessions/${sid}`, { token: p.adminToken });
    expect(res.statusCode, res.body).toBe(200);
    await expectDead(p.t, pair.access_token, 'the access token of the admin-revoked session');
    expect(await introspect(p, pair.access_token)).toBe(INACTIVE);
  });

  it("refresh reuse revokes the family: the winner's new access token dies too", async () => {
    await registerUser(p.t, 'reuse-victim');
    const first = await login(p.t, 'reuse-victim');
    const winner = (await refresh(first.refresh_token)).json<TokenPair>();
    await expectAlive(p.t, winner.access_token, "the winner's access token before the reuse");
    expectProblem(await refresh(first.refresh_token), 401, 'refresh_token_reused');
    await expectDead(p.t, winner.access_token, "the winner's access token after the reuse");
    await expectDead(p.t, first.access_token, 'the first access token after the reuse');
    expect(await introspect(p, winner.access_token)).toBe(INACTIVE);
    expectProblem(await refresh(winner.refresh_token), 401);
  });

  it('lock ends the sessions: after unlocking, the old access tokens (also /user/login and seed 003) stay dead', async () => {
    const pair = await registerUser(p.t, 'lock-then-unlock');
    const seed001 = await authHeadersLogin(p.t, 'lock-then-unlock');
    const seed003 = await iotLogin(p.t, 'lock-then-unlock');
    const id = subjectOf(pair.access_token);
    const patch = (body: unknown) => p.t.request('PATCH', `/v1/admin/users/${id}`, { token: p.adminToken, body });
    expect((await patch({ locked: true })).statusCode).toBe(200);
    for (const token of [pair.access_token, seed001, seed003]) expect(await introspect(p, token)).toBe(INACTIVE);
    expect((await patch({ locked: false })).statusCode).toBe(200);
    await expectDead(p.t, pair.access_token, 'the /v1 access token from before the lock');
    await expectDead(p.t, seed001, 'the /user/login token from before the lock');
    await expectDead(p.t, seed003, 'the 24 h seed-003 token from before the lock');
    await expectAlive(p.t, (await login(p.t, 'lock-then-unlock')).access_token, 'a login after unlocking');
  });

  it('delete: the access tokens of a deleted user are refused and inactive', async () => {
    const pair = await registerUser(p.t, 'to-be-deleted');
    const seed003 = await iotLogin(p.t, 'to-be-deleted');
    const res = await p.t.request('DELETE', `/v1/admin/users/${subjectOf(pair.access_token)}`, { token: p.adminToken });
    expect(res.statusCode, res.body).toBeLessThan(300);
    for (const token of [pair.access_token, seed003]) {
      await expectDead(p.t, token, 'a token of the deleted user');
      expect(await introspect(p, token)).toBe(INACTIVE);
    }
  });

  it('revoking the seed-003 session (it has no refresh token) kills its 24 h token', async () => {
    const native = await registerUser(p.t, 'iot-session');
    const seed003 = await iotLogin(p.t, 'iot-session');
    const sid = sidOf(seed003);
    expect(typeof sid).toBe('string');
    expect(await sessionIds(native.access_token)).toContain(sid);
    expect((await p.t.request('DELETE', `/v1/user/sessions/${String(sid)}`, { token: native.access_token })).statusCode).toBe(200);
    await expectDead(p.t, seed003, 'the seed-003 token of the revoked session');
    expect(await introspect(p, seed003)).toBe(INACTIVE);
  });
});

describe('a session bought with an API key dies with the key', () => {
  it('/authheader/delete of the key kills the refresh token and the access token of the session it bought', async () => {
    await registerUser(p.t, 'key-owner');
    const owner = await authHeadersLogin(p.t, 'key-owner');
    const key = await addApiKey(p.t, owner, 'buys-a-session');
    const bought = await exchangeApiKey(p.t, key);
    await expectAlive(p.t, bought.access_token, 'the session bought with the key');
    const res = await p.t.request('POST', '/authheader/delete', { token: owner, body: { text: key } });
    expect(res.json()).toEqual({ message: 'Success' });
    expectProblem(await refresh(bought.refresh_token), 401);
    await expectDead(p.t, bought.access_token, 'the access token bought with the deleted key');
    expect(await introspect(p, bought.access_token)).toBe(INACTIVE);
    await expectAlive(p.t, owner, "the owner's own login");
  });
});

describe('client_credentials tokens', () => {
  async function clientToken(name: string): Promise<{ clientId: string; token: string }> {
    const made = await p.t.request('POST', '/v1/admin/clients', { token: p.adminToken, body: { name, grantTypes: ['client_credentials'] } });
    const { clientId, clientSecret } = made.json<{ clientId: string; clientSecret: string }>();
    const res = await postForm(p.t, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basicAuth(clientId, clientSecret) });
    expect(res.statusCode, res.body).toBe(200);
    return { clientId, token: res.json<{ access_token: string }>().access_token };
  }
  const deleteClient = async (id: string) => expect((await p.t.request('DELETE', `/v1/admin/clients/${id}`, { token: p.adminToken })).statusCode).toBeLessThan(300);

  it('have no sid and carry the client id; refused on routes once the client is deleted', async () => {
    const { clientId, token } = await clientToken('short-lived');
    const claims = decodeJwt(token);
    expect(claims.sid).toBeUndefined();
    expect(claims.client_id).toBe(clientId);
    expect((await p.t.request('GET', '/v1/api/auth/tokenInfo', { token })).statusCode).toBe(200);
    await deleteClient(clientId);
    expect((await p.t.request('GET', '/v1/api/auth/tokenInfo', { token })).statusCode).toBe(401);
  });

  it('introspect as inactive once the client is deleted', async () => {
    const { clientId, token } = await clientToken('short-lived-introspected');
    expect(JSON.parse(await introspect(p, token))).toMatchObject({ active: true });
    await deleteClient(clientId);
    expect(await introspect(p, token)).toBe(INACTIVE);
  });
});

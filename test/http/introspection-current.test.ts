/**
 * /oauth2/introspect answers from the same authenticator as every route: what a route refuses,
 * introspection calls exactly {"active":false}. Today a locked or deleted user's access token and
 * API key introspect as active while /v1/api/auth/me already says 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiKey, authHeadersLogin, createProbeApp, introspect, postForm, subjectOf, type ProbeApp } from '../support/credential-probes.js';
import { login } from '../support/native-helpers.js';
import { registerUser } from '../support/test-app.js';

const INACTIVE = '{"active":false}';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

/** A user with a live access token and a live API key, both active in introspection. */
async function userWithCredentials(username: string) {
  const { access_token: token } = await registerUser(p.t, username);
  const key = await addApiKey(p.t, await authHeadersLogin(p.t, username));
  for (const credential of [token, key]) expect(JSON.parse(await introspect(p, credential))).toMatchObject({ active: true });
  return { id: subjectOf(token), token, key };
}

describe('introspection sees what the routes see', () => {
  it("a locked user's access token and API key are exactly {\"active\":false}", async () => {
    const { id, token, key } = await userWithCredentials('introspect-locked');
    expect((await p.t.request('PATCH', `/v1/admin/users/${id}`, { token: p.adminToken, body: { locked: true } })).statusCode).toBe(200);
    expect((await p.t.request('GET', '/v1/api/auth/me', { token })).statusCode).toBe(403);
    expect(await introspect(p, token)).toBe(INACTIVE);
    expect(await introspect(p, key)).toBe(INACTIVE);
  });

  it("a deleted user's access token and API key are exactly {\"active\":false}", async () => {
    const { id, token, key } = await userWithCredentials('introspect-deleted');
    expect((await p.t.request('DELETE', `/v1/admin/users/${id}`, { token: p.adminToken })).statusCode).toBeLessThan(300);
    expect((await p.t.request('GET', '/v1/api/auth/me', { token })).statusCode).toBeGreaterThanOrEqual(401);
    expect(await introspect(p, token)).toBe(INACTIVE);
    expect(await introspect(p, key)).toBe(INACTIVE);
  });

  it('an access token whose session was revoked is exactly {"active":false}', async () => {
    await registerUser(p.t, 'introspect-revoked');
    const pair = await login(p.t, 'introspect-revoked');
    expect((await p.t.request('POST', '/v1/auth/logout', { body: { token: pair.refresh_token } })).json()).toEqual({ revoked: true });
    expect(await introspect(p, pair.access_token)).toBe(INACTIVE);
  });

  it('an admin demoted after the token was issued may not introspect (the admin guard decides)', async () => {
    const deputy = await registerUser(p.t, 'introspect-deputy');
    const id = subjectOf(deputy.access_token);
    await p.t.request('PATCH', `/v1/admin/users/${id}`, { token: p.adminToken, body: { roles: ['admin'] } });
    const deputyToken = (await login(p.t, 'introspect-deputy')).access_token;
    const ask = () => postForm(p.t, '/oauth2/introspect', { token: deputy.access_token }, { authorization: `Bearer ${deputyToken}` });
    expect((await ask()).statusCode).toBe(200);
    await p.t.request('PATCH', `/v1/admin/users/${id}`, { token: p.adminToken, body: { roles: [] } });
    expect((await p.t.request('GET', '/v1/admin/users', { token: deputyToken })).statusCode).toBe(403);
    expect((await ask()).statusCode).toBe(403);
  });
});

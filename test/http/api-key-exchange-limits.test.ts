import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** A token bought with an API key keeps the key's limits, through refreshes too. */
describe('tokens traded for an API key', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp();
    await registerUser(t, 'keyholder@example.com');
    const login = (await t.request('POST', '/user/login', { body: { username: 'keyholder@example.com', password: STRONG_PASSWORD } })).json();
    key = (await t.request('POST', '/authheader/add', { body: { name: 'service' }, token: login.Token })).json().token;
  });
  afterAll(async () => t.close());

  it('cannot manage keys or change the password, before or after a refresh', async () => {
    const pair = (await t.request('POST', '/v1/auth/token', { body: { token: key } })).json();
    expect(decodeJwt(pair.access_token).amr).toEqual(['api_key']);
    const refreshed = (await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } })).json();
    for (const token of [pair.access_token, refreshed.access_token]) {
      expect((await t.request('GET', '/v1/user/profile', { token })).statusCode).toBe(200);
      expect((await t.request('POST', '/authheader/add', { body: { name: 'escalate' }, token })).statusCode).toBe(403);
      expect((await t.request('GET', '/authheader/list', { token })).statusCode).toBe(403);
      const change = await t.request('POST', '/v1/user/password/change', {
        body: { oldPassword: STRONG_PASSWORD, password: 'a completely new passphrase' },
        token,
      });
      expect(change.statusCode).toBe(403);
    }
  });

  it('a password login still gets a full token', async () => {
    const pair = (await t.request('POST', '/v1/auth/login', { body: { username: 'keyholder@example.com', password: STRONG_PASSWORD } })).json();
    expect(decodeJwt(pair.access_token).amr).toBeUndefined();
    expect((await t.request('GET', '/authheader/list', { token: pair.access_token })).statusCode).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** A still-unexpired JWT stops working at once when its user is locked or deleted, or its client deleted. */
describe('tokens of users and clients that are no longer current', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    adminToken = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json().access_token;
  });
  afterAll(async () => t.close());

  const routes = ['/v1/user/profile', '/authheader/list', '/v1/api/auth/tokenInfo', '/v1/user/sessions'];

  it('locks out a locked user on every route', async () => {
    const { access_token: token } = await registerUser(t, 'to-lock@example.com');
    const id = (await t.request('GET', '/v1/user/profile', { token })).json().id;
    await t.request('PATCH', `/v1/admin/users/${id}`, { token: adminToken, body: { locked: true } });
    for (const url of routes) {
      const res = await t.request('GET', url, { token });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('account_locked');
    }
  });

  it('refuses a deleted user on every route', async () => {
    const { access_token: token } = await registerUser(t, 'to-delete@example.com');
    const id = (await t.request('GET', '/v1/user/profile', { token })).json().id;
    await t.request('DELETE', `/v1/admin/users/${id}`, { token: adminToken });
    for (const url of routes) {
      const res = await t.request('GET', url, { token });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('invalid_token');
    }
  });

  it('refuses a deleted client', async () => {
    const { client, clientSecret } = await t.app.core.clients.register({ name: 'short-lived' }, {});
    const basic = `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
    const token = (await t.request('POST', '/oauth2/token', { body: 'grant_type=client_credentials', headers: form })).json().access_token;
    expect((await t.request('GET', '/v1/api/auth/tokenInfo', { token })).statusCode).toBe(200);
    await t.app.core.clients.delete(client.id, {});
    expect((await t.request('GET', '/v1/api/auth/tokenInfo', { token })).statusCode).toBe(401);
  });
});

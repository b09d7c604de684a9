import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('POST /oauth2/token', () => {
  let t: TestApp;
  let client: { id: string; secret: string };
  let narrow: { id: string; secret: string };

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    t.request('POST', '/oauth2/token', { body: new URLSearchParams(form).toString(), headers: { ...FORM, ...headers } });

  beforeAll(async () => {
    t = await createTestApp();
    await registerUser(t, 'oauth-user@example.com');
    const all = ['client_credentials', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:token-exchange'];
    const made = await t.app.core.clients.register({ name: 'backend', grantTypes: all, roles: ['service'] }, {});
    client = { id: made.client.id, secret: made.clientSecret };
    const only = await t.app.core.clients.register({ name: 'narrow', grantTypes: ['client_credentials'] }, {});
    narrow = { id: only.client.id, secret: only.clientSecret };
  });
  afterAll(async () => t.close());

  it('client_credentials with HTTP Basic gives a client token', async () => {
    const res = await token({ grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body.refresh_token).toBeUndefined();
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ sub: client.id, client_id: client.id, roles: ['service'], token_use: 'access' });
  });

  it('client_credentials with the secret in the body works too', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a wrong secret and an unknown client over Basic with 401 and the Basic challenge', async () => {
    for (const authorization of [basic(client.id, 'wrong'), basic('nobody', 'x')]) {
      const res = await token({ grant_type: 'client_credentials' }, { authorization });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'invalid_client' });
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="tessera"/);
    }
  });

  it('refuses a missing client and a wrong body secret with 400 invalid_client and no challenge', async () => {
    const attempts: Array<Record<string, string>> = [{}, { client_id: client.id, client_secret: 'wrong' }, { client_secret: client.secret }];
    for (const form of attempts) {
      const res = await token({ grant_type: 'client_credentials', ...form });
      expect(res.statusCode, JSON.stringify(form)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_client' });
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('password then refresh_token: rotation with reuse detection', async () => {
    const first = await token({ grant_type: 'password', username: 'oauth-user@example.com', password: STRONG_PASSWORD });
    expect(first.statusCode, first.body).toBe(200);
    const { refresh_token } = first.json();
    const second = await token({ grant_type: 'refresh_token', refresh_token });
    expect(second.statusCode).toBe(200);
    expect(second.json().refresh_token).not.toBe(refresh_token);
    const reuse = await token({ grant_type: 'refresh_token', refresh_token });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json()).toMatchObject({ error: 'invalid_grant' });
    const revoked = await token({ grant_type: 'refresh_token', refresh_token: second.json().refresh_token });
    expect(revoked.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('wrong password is invalid_grant, not a hint about the user', async () => {
    const a = await token({ grant_type: 'password', username: 'oauth-user@example.com', password: 'wrong password here' });
    const b = await token({ grant_type: 'password', username: 'nobody@example.com', password: 'wrong password here' });
    expect(a.statusCode).toBe(400);
    expect(a.body).toBe(b.body);
  });

  it('a client not registered for a grant is unauthorized_client', async () => {
    const res = await token({ grant_type: 'password', username: 'oauth-user@example.com', password: STRONG_PASSWORD }, { authorization: basic(narrow.id, narrow.secret) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('unknown grant types, missing parameters and repeated parameters are refused', async () => {
    expect((await token({ grant_type: 'urn:example:unknown', code: 'x' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await token({ grant_type: 'refresh_token' })).json()).toMatchObject({ error: 'invalid_request' });
    expect((await token({})).json()).toMatchObject({ error: 'invalid_request' });
    const repeated = await t.request('POST', '/oauth2/token', { body: 'grant_type=password&grant_type=refresh_token', headers: FORM });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('token-exchange trades an API key (subject token) for a session', async () => {
    const login = await t.request('POST', '/user/login', { body: { username: 'oauth-user@example.com', password: STRONG_PASSWORD } });
    const key = (await t.request('POST', '/authheader/add', { body: { name: 'exchange' }, token: login.json().Token })).json().token;
    const res = await token({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: key,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer' });
    expect(decodeJwt(res.json().access_token).sub).toBe(login.json().Id);
    const bad = await token({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: 'garbage', subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' });
    expect(bad.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('the password grant can be turned off', async () => {
    const off = await createTestApp({ OAUTH_PASSWORD_GRANT: 'false' });
    try {
      const res = await off.request('POST', '/oauth2/token', { body: 'grant_type=password&username=a&password=b', headers: FORM });
      expect(res.json()).toMatchObject({ error: 'unsupported_grant_type' });
      const meta = (await off.request('GET', '/.well-known/openid-configuration')).json();
      expect(meta.grant_types_supported).not.toContain('password');
    } finally {
      await off.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('POST /oauth2/introspect and /oauth2/revoke', () => {
  let t: TestApp;
  let auth: string;
  let user: { access_token: string; refresh_token: string };
  let adminToken: string;

  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    t.request('POST', path, { body: new URLSearchParams(form).toString(), headers: { ...FORM, ...headers } });

  beforeAll(async () => {
    t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    user = await registerUser(t, 'introspected@example.com');
    const made = await t.app.core.clients.register({ name: 'resource-server' }, {});
    auth = basic(made.client.id, made.clientSecret);
    adminToken = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json().access_token;
  });
  afterAll(async () => t.close());

  it('describes a live access token to a registered client', async () => {
    const res = await post('/oauth2/introspect', { token: user.access_token }, { authorization: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ active: true, token_type: 'Bearer', username: 'introspected@example.com', aud: 'tessera' });
    expect(typeof res.json().exp).toBe('number');
  });

  it('describes a refresh token, and an admin bearer token may introspect too', async () => {
    const res = await post('/oauth2/introspect', { token: user.refresh_token }, { authorization: `Bearer ${adminToken}` });
    expect(res.json()).toMatchObject({ active: true, token_type: 'refresh_token' });
  });

  it('answers exactly {"active":false} for unknown or expired tokens', async () => {
    for (const token of ['nonsense', 'a.b.c', 'tsk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await post('/oauth2/introspect', { token }, { authorization: auth });
      expect(res.body).toBe('{"active":false}');
    }
    t.clock.advanceSeconds(16 * 60);
    const expired = await post('/oauth2/introspect', { token: user.access_token }, { authorization: auth });
    expect(expired.body).toBe('{"active":false}');
    t.clock.advanceSeconds(-16 * 60);
  });

  it('needs a client or an admin: none is 400 invalid_client, a plain user is 403, a bad client 401', async () => {
    const none = await post('/oauth2/introspect', { token: user.access_token });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: 'invalid_client' });
    expect(none.headers['www-authenticate']).toBeUndefined();
    const plain = await post('/oauth2/introspect', { token: user.access_token }, { authorization: `Bearer ${user.access_token}` });
    expect(plain.statusCode).toBe(403);
    const bad = await post('/oauth2/introspect', { token: user.access_token }, { authorization: basic('x', 'y') });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('a refused bearer token is 401 invalid_token with a Bearer challenge (RFC 7662 section 2.3)', async () => {
    const res = await post('/oauth2/introspect', { token: user.access_token }, { authorization: `Bearer ${user.access_token}x` });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera", error="invalid_token"');
  });

  it('revokes a refresh token without client authentication (possession is proof)', async () => {
    const pair = (await t.request('POST', '/v1/auth/login', { body: { username: 'introspected@example.com', password: STRONG_PASSWORD } })).json();
    const res = await post('/oauth2/revoke', { token: pair.refresh_token, token_type_hint: 'refresh_token' });
    expect(res.statusCode).toBe(200);
    const refresh = await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } });
    expect(refresh.statusCode).toBe(401);
    expect((await post('/oauth2/introspect', { token: pair.refresh_token }, { authorization: auth })).body).toBe('{"active":false}');
  });

  it('answers 200 for unknown tokens, and invalid_client for wrong client credentials', async () => {
    expect((await post('/oauth2/revoke', { token: 'never-issued' })).statusCode).toBe(200);
    expect((await post('/oauth2/revoke', { token: 'never-issued' }, { authorization: basic('x', 'y') })).statusCode).toBe(401);
    const body = await post('/oauth2/revoke', { token: 'never-issued', client_id: 'x', client_secret: 'y' });
    expect(body.statusCode).toBe(400);
    expect(body.json()).toMatchObject({ error: 'invalid_client' });
    // a secret without its client_id, or a Basic header that does not parse, is a failed
    // authentication, not an anonymous caller
    expect((await post('/oauth2/revoke', { token: 'never-issued', client_secret: 'y' })).json()).toMatchObject({ error: 'invalid_client' });
    expect((await post('/oauth2/revoke', { token: 'never-issued' }, { authorization: 'Basic !!!' })).statusCode).toBe(401);
  });

  it('revokes an API key by possession', async () => {
    const login = (await t.request('POST', '/user/login', { body: { username: 'introspected@example.com', password: STRONG_PASSWORD } })).json();
    const key = (await t.request('POST', '/authheader/add', { body: { name: 'to-revoke' }, token: login.Token })).json().token;
    expect((await post('/oauth2/introspect', { token: key }, { authorization: auth })).json()).toMatchObject({ active: true, token_type: 'api_key' });
    expect((await post('/oauth2/revoke', { token: key })).statusCode).toBe(200);
    expect((await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': key } })).statusCode).toBe(401);
  });

  it('publishes discovery metadata pointing at these endpoints', async () => {
    const meta = (await t.request('GET', '/.well-known/openid-configuration')).json();
    expect(meta).toMatchObject({
      issuer: 'http://tessera.test',
      jwks_uri: 'http://tessera.test/.well-known/jwks.json',
      token_endpoint: 'http://tessera.test/oauth2/token',
      introspection_endpoint: 'http://tessera.test/oauth2/introspect',
      revocation_endpoint: 'http://tessera.test/oauth2/revoke',
    });
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(['refresh_token', 'client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:token-exchange']));
  });
});

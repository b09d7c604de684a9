/**
 * Registering clients for the browser flow through the admin API: a public client gets no
 * secret and no secret authenticates it; redirect URIs are checked at registration and matched
 * exactly afterwards (only a loopback port may vary, RFC 8252).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectUriMatches } from '../../src/core/clients/redirect-uris.js';
import { expectFieldError } from '../support/native-helpers.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

describe('admin: clients for the authorization code flow', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json<{ access_token: string }>().access_token;
  });
  afterAll(async () => t.close());

  const create = (body: Record<string, unknown>) => t.request('POST', '/v1/admin/clients', { token: admin, body });

  it('registers a public client without a secret; no secret authenticates it', async () => {
    const res = await create({
      name: 'spa',
      grantTypes: ['authorization_code', 'refresh_token'],
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['http://127.0.0.1/callback', 'https://app.example/cb'],
      postLogoutRedirectUris: ['https://app.example/'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<Record<string, unknown>>();
    expect(body).not.toHaveProperty('clientSecret');
    expect(body).toMatchObject({
      tokenEndpointAuthMethod: 'none',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      consentRequired: true,
      redirectUris: ['http://127.0.0.1/callback', 'https://app.example/cb'],
    });
    // not the empty secret, nor the stand-in the comparison uses for clients without a secret
    for (const secret of ['', 'unknown-client']) {
      await expect(t.app.core.clients.authenticate(body.clientId as string, secret)).rejects.toMatchObject({ code: 'invalid_client' });
    }
    const listed = (await t.request('GET', '/v1/admin/clients', { token: admin })).json<Record<string, unknown>[]>();
    expect(listed.find((c) => c.clientId === body.clientId)).toEqual(body);
  });

  it('a confidential browser client gets a secret, its scopes and its consent setting', async () => {
    const res = await create({
      name: 'portal',
      grantTypes: ['authorization_code'],
      tokenEndpointAuthMethod: 'client_secret_post',
      redirectUris: ['https://portal.example/cb'],
      scopes: ['openid', 'email'],
      consentRequired: false,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ clientSecret: expect.stringMatching(/^\S{43}$/), scopes: ['openid', 'email'], consentRequired: false });
  });

  it('refuses what cannot work: no redirect URI, a bad one, a public client with a secret-only grant, an unknown scope', async () => {
    const browser = { name: 'x', grantTypes: ['authorization_code'] };
    expectFieldError(await create(browser), 'redirectUris');
    for (const bad of ['/relative', 'http://app.example/cb', 'https://app.example/cb#frag', 'https://user:pw@app.example/cb', 'javascript:alert(1)']) {
      expectFieldError(await create({ ...browser, redirectUris: [bad] }), 'redirectUris');
    }
    expectFieldError(await create({ ...browser, redirectUris: ['https://a.example/cb'], postLogoutRedirectUris: ['http://a.example/'] }), 'postLogoutRedirectUris');
    expectFieldError(await create({ name: 'x', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'none' }), 'grantTypes');
    expectFieldError(await create({ name: 'x', redirectUris: ['https://a.example/cb'] }), 'redirectUris');
    expect((await create({ ...browser, redirectUris: ['https://a.example/cb'], scopes: ['admin'] })).statusCode).toBe(400);
    expect((await create({ ...browser, redirectUris: ['https://a.example/cb'], tokenEndpointAuthMethod: 'private_key_jwt' })).statusCode).toBe(400);
  });
});

describe('redirect URI matching', () => {
  const registered = ['https://app.example/cb?x=1', 'http://127.0.0.1/native', 'http://[::1]:8000/v6', 'com.example.app:/cb'];

  it('is exact for everything but a loopback port', () => {
    expect(redirectUriMatches(registered, 'https://app.example/cb?x=1')).toBe(true);
    expect(redirectUriMatches(registered, 'com.example.app:/cb')).toBe(true);
    expect(redirectUriMatches(registered, 'http://127.0.0.1:53412/native')).toBe(true);
    expect(redirectUriMatches(registered, 'http://[::1]:9/v6')).toBe(true);
    for (const other of [
      'https://app.example/cb',
      'https://app.example/cb?x=1&y=2',
      'https://APP.example/cb?x=1',
      'https://app.example:443/cb?x=1',
      'https://app.example/cb?x=1#f',
      'http://127.0.0.1:53412/native/',
      'http://127.0.0.1:53412/Native',
      'http://localhost:53412/native',
      'https://127.0.0.1:53412/native',
      'http://127.0.0.1:53412/native#x',
      'com.example.app:/cb/',
    ]) {
      expect(redirectUriMatches(registered, other), other).toBe(false);
    }
  });
});

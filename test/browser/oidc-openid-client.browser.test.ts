/**
 * OpenID Connect with a person in Chromium and openid-client 6 as the app, against the real
 * server process: code flow with PKCE, the ID token verified by the library, userinfo, the access
 * token on the other surfaces, single sign-on on a second authorization, prompt=login asking
 * again, RP-initiated logout ending the browser session (prompt=none then answers
 * login_required), and consent asked once for a third-party client.
 */
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowser } from '../support/browser.js';
import { startCallbackServer, type CallbackServer } from '../support/callback-server.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'orchid lantern pepper 5521';

describeBrowser('OpenID Connect sign-in with openid-client in a browser', () => {
  let server: ServerProcess;
  let app: CallbackServer;
  let admin: string;
  const browser = useBrowser();

  const api = async (method: string, path: string, options: { token?: string; body?: unknown; form?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body) headers['content-type'] = 'application/json';
    if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const body = options.body ? JSON.stringify(options.body) : options.form ? new URLSearchParams(options.form).toString() : undefined;
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body ? { body } : {}) });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };

  const registerClient = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/v1/admin/clients', { token: admin, body });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json as { clientId: string; clientSecret?: string };
  };

  beforeAll(async () => {
    app = await startCallbackServer();
    server = await startServer({ env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', TESSERA_BOOTSTRAP_ADMIN: `root:${PASSWORD}` } });
    admin = (await api('POST', '/v1/auth/login', { body: { username: 'root', password: PASSWORD } })).json!.access_token as string;
    for (const username of ['dana', 'eli']) {
      expect((await api('POST', '/v1/user', { body: { username, password: PASSWORD, email: `${username}@example.test`, name: username.toUpperCase() } })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await server?.stop();
    await app?.close();
  });

  /** An authorization request of `config` as openid-client builds it, with its checks. */
  async function request(config: client.Configuration, extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(config, {
      // the registered URI has no port: a loopback redirect URI may use any (RFC 8252)
      redirect_uri: `${app.origin}/cb`,
      scope: 'openid profile email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: checks.expectedState,
      nonce: checks.expectedNonce,
      ...extra,
    });
    return { url, checks };
  }

  /** The next arrival at the app, once the browser has shown it (so that no later navigation races it). */
  async function arrived(page: Page, arrival: Promise<URL>): Promise<URL> {
    const url = await arrival;
    await page.waitForURL(url.href);
    return url;
  }

  async function signInOnPage(page: Page, username: string) {
    await page.waitForURL(/\/signin\?/);
    await browser.expectAccessible();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('code + PKCE, verified ID token, userinfo, every surface, SSO, prompt=login, logout', async () => {
    const registered = await registerClient({
      name: 'Notes app',
      grantTypes: ['authorization_code', 'refresh_token'],
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['http://127.0.0.1/cb'],
      postLogoutRedirectUris: [`${app.origin}/bye`],
      consentRequired: false,
    });
    const config = await client.discovery(new URL(server.url), registered.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
    const page = browser.page();

    // 1. the code flow with a sign-in
    const first = await request(config);
    const arrival = app.next();
    await page.goto(first.url.href);
    await signInOnPage(page, 'dana');
    const callback = await arrived(page, arrival);
    expect(callback.searchParams.get('iss')).toBe(server.url);
    const tokens = await client.authorizationCodeGrant(config, callback, first.checks);
    const claims = tokens.claims()!;
    const profile = await api('GET', '/v1/user/profile', { token: tokens.access_token });
    expect(profile.status).toBe(200);
    expect(claims).toMatchObject({ iss: server.url, aud: registered.clientId, sub: profile.json!.id, amr: ['pwd'] });
    expect(typeof claims.auth_time).toBe('number');
    expect(typeof claims.sid).toBe('string');
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, preferred_username: 'dana', name: 'DANA', email: 'dana@example.test', email_verified: false });
    // the same access token on the other surfaces
    for (const path of ['/v1/api/auth/me', '/v1/api/auth/tokenInfo', '/v1/user/sessions', '/authheader/list']) {
      expect((await api('GET', path, { token: tokens.access_token })).status, path).toBe(200);
    }
    expect((await api('POST', '/oauth2/introspect', { token: admin, form: { token: tokens.access_token } })).json).toMatchObject({ active: true, sub: claims.sub });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await client.fetchUserInfo(config, refreshed.access_token, claims.sub)).sub).toBe(claims.sub);
    expect(refreshed.claims()).toMatchObject({ sub: claims.sub, aud: registered.clientId, auth_time: claims.auth_time });

    // 2. single sign-on: a second authorization in the same browser needs no password
    const second = await request(config);
    const ssoArrival = app.next();
    const navigations: string[] = [];
    page.on('request', (r) => r.isNavigationRequest() && navigations.push(r.url()));
    await page.goto(second.url.href);
    const sso = await arrived(page, ssoArrival);
    expect(navigations.map((u) => new URL(u).pathname)).toEqual(['/oauth2/authorize', '/cb']);
    const ssoTokens = await client.authorizationCodeGrant(config, sso, second.checks);
    expect(ssoTokens.claims()).toMatchObject({ sub: claims.sub, auth_time: claims.auth_time, sid: claims.sid });

    // 3. prompt=login asks again, once, and the new sign-in is the one reported
    const again = await request(config, { prompt: 'login' });
    const againArrival = app.next();
    await page.goto(again.url.href);
    await signInOnPage(page, 'dana');
    const forced = await client.authorizationCodeGrant(config, await arrived(page, againArrival), again.checks);
    expect(forced.claims()!.auth_time).toBeGreaterThanOrEqual(claims.auth_time!);
    expect(forced.claims()!.sid).not.toBe(claims.sid);

    // 4. RP-initiated logout ends the browser session
    const logout = client.buildEndSessionUrl(config, { id_token_hint: forced.id_token!, post_logout_redirect_uri: `${app.origin}/bye`, state: 'bye-1' });
    const byeArrival = app.next();
    await page.goto(logout.href);
    const bye = await arrived(page, byeArrival);
    expect(bye.pathname).toBe('/bye');
    expect(bye.searchParams.get('state')).toBe('bye-1');
    const silent = await request(config, { prompt: 'none' });
    const silentArrival = app.next();
    await page.goto(silent.url.href);
    const refused = await arrived(page, silentArrival);
    expect(refused.searchParams.get('error')).toBe('login_required');
    expect(refused.searchParams.get('state')).toBe(silent.checks.expectedState);
    await expect(client.authorizationCodeGrant(config, refused, silent.checks)).rejects.toMatchObject({ error: 'login_required' });
  });

  it('a third-party client: consent is asked once, remembered, and withdrawn on the account page', async () => {
    const registered = await registerClient({
      name: 'Calendar by Example Inc',
      grantTypes: ['authorization_code'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      redirectUris: [`${app.origin}/cb`],
      scopes: ['openid', 'email'],
    });
    const config = await client.discovery(new URL(server.url), registered.clientId, undefined, client.ClientSecretBasic(registered.clientSecret), {
      execute: [client.allowInsecureRequests],
    });
    const page = browser.page();
    const first = await request(config, { scope: 'openid email' });
    const arrival = app.next();
    await page.goto(first.url.href);
    await signInOnPage(page, 'eli');
    await page.getByRole('heading', { name: 'Allow Calendar by Example Inc to use your account?' }).waitFor();
    await page.getByText('your email address').waitFor();
    await browser.expectAccessible();
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await client.authorizationCodeGrant(config, await arrived(page, arrival), first.checks);
    expect(tokens.refresh_token).toBeUndefined();
    expect(await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).toMatchObject({ email: 'eli@example.test' });
    expect(await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).not.toHaveProperty('name');

    const second = await request(config, { scope: 'openid email' });
    const secondArrival = app.next();
    const navigations: string[] = [];
    page.on('request', (r) => r.isNavigationRequest() && navigations.push(r.url()));
    await page.goto(second.url.href);
    await client.authorizationCodeGrant(config, await arrived(page, secondArrival), second.checks);
    // the authorization request, then straight back to the app: no sign-in, no consent page
    expect(navigations.map((u) => new URL(u).origin + new URL(u).pathname)).toEqual([`${server.url}/oauth2/authorize`, `${app.origin}/cb`]);

    // the account page lists the consent and withdraws it: the next authorization asks again
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'Apps you allowed' }).waitFor();
    await browser.expectAccessible();
    await page.getByRole('button', { name: 'Withdraw the permission of Calendar by Example Inc' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Apps you allowed' }).count()).toBe(0);
    const third = await request(config, { scope: 'openid email' });
    await page.goto(third.url.href);
    await page.getByRole('heading', { name: 'Allow Calendar by Example Inc to use your account?' }).waitFor();
  });
});

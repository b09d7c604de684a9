/**
 * The same code flow with oauth4webapi 3, the stricter client: discovery checked against RFC
 * 8414 / OIDC Discovery, `iss` required in the authorization response (RFC 9207, since the
 * metadata says it is sent), the ID token's nonce, at_hash and signature, userinfo's subject,
 * the access token validated as an RFC 9068 JWT, and a public client refreshing in its family.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowser } from '../support/browser.js';
import { startCallbackServer, type CallbackServer } from '../support/callback-server.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'saffron meadow quartz 7310';
const insecure = { [oauth.allowInsecureRequests]: true };

describeBrowser('OpenID Connect sign-in with oauth4webapi in a browser', () => {
  let server: ServerProcess;
  let app: CallbackServer;
  const browser = useBrowser();

  beforeAll(async () => {
    app = await startCallbackServer();
    server = await startServer({ env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', TESSERA_BOOTSTRAP_ADMIN: `root:${PASSWORD}` } });
  });
  afterAll(async () => {
    await server?.stop();
    await app?.close();
  });

  const json = async (path: string, init: RequestInit) => (await (await fetch(`${server.url}${path}`, init)).json()) as Record<string, string>;

  it('authorization code + PKCE, ID token, userinfo and the RFC 9068 access token, all checked strictly', async () => {
    const admin = (await json('/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: PASSWORD }) }))
      .access_token!;
    await json('/v1/user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fay', password: PASSWORD, email: 'fay@example.test' }) });
    const registered = await json('/v1/admin/clients', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        name: 'Strict app',
        grantTypes: ['authorization_code', 'refresh_token'],
        tokenEndpointAuthMethod: 'none',
        redirectUris: [`${app.origin}/cb`],
        consentRequired: false,
      }),
    });
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    const client: oauth.Client = { client_id: registered.clientId! };
    const redirectUri = `${app.origin}/cb`;
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint!);
    for (const [name, value] of Object.entries({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email offline_access',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })) {
      url.searchParams.set(name, value);
    }

    const page = browser.page();
    const arrival = app.next();
    await page.goto(url.href);
    await page.waitForURL(/\/signin\?/);
    await page.getByLabel('Username').fill('fay');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const callback = await arrival;
    await page.waitForURL(callback.href);

    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    expect(claims).toMatchObject({ iss: server.url, aud: client.client_id, nonce });

    const info = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, result.access_token, insecure));
    expect(info).toMatchObject({ sub: claims.sub, email: 'fay@example.test' });

    const resource = new Request(`${server.url}/v1/user/profile`, { headers: { authorization: `Bearer ${result.access_token}` } });
    const access = await oauth.validateJwtAccessToken(as, resource, 'tessera', insecure);
    expect(access).toMatchObject({ sub: claims.sub, client_id: client.client_id, iss: server.url });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), result.refresh_token!, insecure),
    );
    expect(refreshed.access_token).not.toBe(result.access_token);
    // the used refresh token is reuse: its family is revoked
    await expect(
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), result.refresh_token!, insecure)),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

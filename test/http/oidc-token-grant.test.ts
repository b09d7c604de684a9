/**
 * The token endpoint's authorization_code grant, at the HTTP level (codes minted through the
 * core's authorize use case, as the browser flow would): PKCE S256, the code bound to its client
 * and redirect URI, single use with revocation of what the first use issued, expiry; ID tokens
 * that verify against the JWKS; access tokens that work on every surface; userinfo.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../src/core/clients/client.types.js';
import type { SignedInPerson } from '../../src/core/use-cases/authorize.js';
import { accessTokenHash } from '../../src/core/tokens/id-token.service.js';
import { basic, mintCode, personOf, tokenRequest } from '../support/oidc-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope: string;
}

describe('authorization_code at /oauth2/token', () => {
  let t: TestApp;
  let app: OAuthClient;
  let other: OAuthClient;
  let portal: { client: OAuthClient; secret: string };
  let person: SignedInPerson;

  beforeAll(async () => {
    t = await createTestApp();
    const register = t.app.core.clients;
    app = (
      await register.register(
        { name: 'spa', grantTypes: ['authorization_code', 'refresh_token'], tokenEndpointAuthMethod: 'none', redirectUris: ['http://127.0.0.1/cb'], consentRequired: false },
        {},
      )
    ).client;
    other = (await register.register({ name: 'other', grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none', redirectUris: ['http://127.0.0.1/cb'] }, {})).client;
    const made = await register.register({ name: 'portal', grantTypes: ['authorization_code'], redirectUris: ['https://portal.example/cb'], consentRequired: false }, {});
    portal = { client: made.client, secret: made.clientSecret };
    person = await personOf(t, (await registerUser(t, 'oidc-alice', undefined, { email: 'alice@example.test', name: 'Alice' })).access_token, t.clock.now() - 5_000);
  });
  afterAll(async () => t.close());

  const redeem = (code: string, verifier: string | undefined, extra: Record<string, string> = {}, client = app) =>
    tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: client.redirectUris[0], client_id: client.id, ...extra });

  const refused = (res: { statusCode: number; json: () => unknown }, error = 'invalid_grant') => {
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error });
  };

  it('trades code + verifier for an ID token, an access token for every surface, a refresh token and userinfo', async () => {
    const { code, verifier } = await mintCode(t, app, person, 'openid profile email offline_access');
    const res = await redeem(code, verifier);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const tokens = res.json<Tokens>();
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email offline_access', refresh_token: expect.any(String) });

    const jwks = createLocalJWKSet((await t.request('GET', '/.well-known/jwks.json')).json());
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: 'http://tessera.test',
      audience: app.id,
      currentDate: new Date(t.clock.now()),
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: person.user.id,
      nonce: 'n-1',
      auth_time: Math.floor(person.authTime / 1000),
      amr: ['pwd'],
      sid: person.browserSessionId,
      azp: app.id,
      at_hash: accessTokenHash(tokens.access_token, 'RS256'),
    });

    for (const url of ['/v1/user/profile', '/v1/api/auth/me', '/v1/user/sessions']) {
      expect((await t.request('GET', url, { token: tokens.access_token })).statusCode, url).toBe(200);
    }
    // the ID token is no access token anywhere
    expect((await t.request('GET', '/v1/user/profile', { token: tokens.id_token! })).statusCode).toBe(401);

    const claims = { sub: person.user.id, name: 'Alice', preferred_username: 'oidc-alice', email: 'alice@example.test', email_verified: false };
    for (const method of ['GET', 'POST']) {
      const info = await t.request(method, '/oauth2/userinfo', { token: tokens.access_token });
      expect(info.statusCode, info.body).toBe(200);
      expect(info.json()).toMatchObject(claims);
    }

    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: app.id });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const next = refreshed.json<Tokens>();
    expect((await t.request('GET', '/oauth2/userinfo', { token: next.access_token })).json()).toMatchObject({ sub: person.user.id });
    // a new ID token for the same sign-in (OpenID Connect Core 12.2): same sub, aud, auth_time; no nonce
    expect(next.scope).toBe('openid profile email offline_access');
    const again = (await jwtVerify(next.id_token!, jwks, { issuer: 'http://tessera.test', audience: app.id, currentDate: new Date(t.clock.now()) })).payload;
    expect(again).toMatchObject({ sub: person.user.id, auth_time: payload.auth_time, sid: person.browserSessionId, at_hash: accessTokenHash(next.access_token, 'RS256') });
    expect(again).not.toHaveProperty('nonce');
  });

  it('releases only the claims of the scopes granted; no offline_access, no refresh token', async () => {
    const { code, verifier } = await mintCode(t, app, person, 'openid');
    const tokens = (await redeem(code, verifier)).json<Tokens>();
    expect(tokens.refresh_token).toBeUndefined();
    expect((await t.request('GET', '/oauth2/userinfo', { token: tokens.access_token })).json()).toEqual({ sub: person.user.id });
  });

  it('a second use of a code is refused and revokes what the first issued', async () => {
    const { code, verifier } = await mintCode(t, app, person, 'openid offline_access');
    const first = (await redeem(code, verifier)).json<Tokens>();
    expect((await t.request('GET', '/v1/user/profile', { token: first.access_token })).statusCode).toBe(200);
    refused(await redeem(code, verifier));
    expect((await t.request('GET', '/v1/user/profile', { token: first.access_token })).statusCode).toBe(401);
    refused(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.id }));
  });

  it('of concurrent redemptions of one code none keeps working tokens but one at most', async () => {
    const { code, verifier } = await mintCode(t, app, person);
    const answers = await Promise.all(Array.from({ length: 5 }, () => redeem(code, verifier)));
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    const live = await Promise.all(won.map(async (a) => (await t.request('GET', '/v1/user/profile', { token: a.json<Tokens>().access_token })).statusCode));
    // every loser was a reuse: what the winner got is revoked too
    expect(live.filter((s) => s === 200)).toEqual([]);
  });

  it('refuses a missing, wrong or malformed PKCE verifier', async () => {
    const { code, verifier } = await mintCode(t, app, person);
    refused(await redeem(code, undefined));
    refused(await redeem(code, `${verifier.slice(0, -1)}${verifier.endsWith('A') ? 'B' : 'A'}`));
    refused(await redeem(code, 'short'));
    // the right verifier still works: a wrong guess does not burn the code
    expect((await redeem(code, verifier)).statusCode).toBe(200);
  });

  it('refuses a code for another client and a redirect_uri other than the authorization request’s', async () => {
    const { code, verifier } = await mintCode(t, app, person);
    refused(await redeem(code, verifier, {}, other));
    refused(await redeem(code, verifier, { redirect_uri: 'http://127.0.0.1/cb2' }));
    refused(await redeem(code, verifier, { redirect_uri: 'http://127.0.0.1:8080/cb' }));
    expect((await redeem(code, verifier)).statusCode).toBe(200);
  });

  it('refuses an expired code and an unknown one', async () => {
    const { code, verifier } = await mintCode(t, app, person);
    t.clock.advanceSeconds(61);
    refused(await redeem(code, verifier));
    refused(await redeem('no-such-code', verifier));
    refused(await tokenRequest(t, { grant_type: 'authorization_code', redirect_uri: app.redirectUris[0], client_id: app.id, code_verifier: verifier }), 'invalid_request');
  });

  it('a confidential client authenticates with its registered method, else invalid_client', async () => {
    const { client, secret } = portal;
    const mint = () => mintCode(t, client, person);
    const base = (c: { code: string; verifier: string }) => ({ grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: client.redirectUris[0] });
    const c1 = await mint();
    refused(await tokenRequest(t, { ...base(c1), client_id: client.id }), 'invalid_client');
    refused(await tokenRequest(t, { ...base(c1), client_id: client.id, client_secret: secret }), 'invalid_client');
    expect((await tokenRequest(t, base(c1), { authorization: basic(client.id, 'wrong') })).statusCode).toBe(401);
    const ok = await tokenRequest(t, base(c1), { authorization: basic(client.id, secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Tokens>().refresh_token).toBeUndefined();
  });
});

describe('refresh tokens of the code flow stay with their client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('a confidential client must authenticate to refresh, a public one name itself; another client is refused', async () => {
    const person = await personOf(t, (await registerUser(t, 'refresh-ida')).access_token);
    const clients = t.app.core.clients;
    const web = await clients.register({ name: 'web', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['https://web.example/cb'], consentRequired: false }, {});
    const other = await clients.register({ name: 'other', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['https://other.example/cb'], consentRequired: false }, {});
    const spa = (
      await clients.register(
        { name: 'spa', grantTypes: ['authorization_code', 'refresh_token'], tokenEndpointAuthMethod: 'none', redirectUris: ['http://127.0.0.1/cb'], consentRequired: false },
        {},
      )
    ).client;
    const redeem = async (client: OAuthClient, headers: Record<string, string> = {}) => {
      const { code, verifier } = await mintCode(t, client, person, 'openid offline_access');
      const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: client.redirectUris[0], ...(headers.authorization ? {} : { client_id: client.id }) }, headers);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Tokens>().refresh_token!;
    };
    const refresh = (token: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) =>
      tokenRequest(t, { grant_type: 'refresh_token', refresh_token: token, ...fields }, headers);

    const webToken = await redeem(web.client, { authorization: basic(web.client.id, web.clientSecret) });
    expect((await refresh(webToken)).json()).toMatchObject({ error: 'invalid_client' });
    expect((await refresh(webToken, { client_id: web.client.id })).json()).toMatchObject({ error: 'invalid_client' });
    expect((await refresh(webToken, {}, { authorization: basic(other.client.id, other.clientSecret) })).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(webToken, {}, { authorization: basic(web.client.id, web.clientSecret) })).statusCode).toBe(200);

    const spaToken = await redeem(spa);
    expect((await refresh(spaToken)).json()).toMatchObject({ error: 'invalid_client' });
    expect((await refresh(spaToken, { client_id: other.client.id })).json()).toMatchObject({ error: 'invalid_client' });
    expect((await refresh(spaToken, { client_id: spa.id })).statusCode).toBe(200);
  });
});

describe('/oauth2/userinfo refusals (RFC 6750)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('no token 401 with a challenge, a bad one invalid_token, a token without openid insufficient_scope', async () => {
    const none = await t.request('GET', '/oauth2/userinfo');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="tessera"');
    const bad = await t.request('GET', '/oauth2/userinfo', { token: 'a.b.c' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
    const native = await registerUser(t, 'plain-bob');
    const scoped = await t.request('POST', '/oauth2/userinfo', { token: native.access_token });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(scoped.json()).toMatchObject({ error: 'insufficient_scope' });
  });
});

/**
 * The OIDC pages without a browser, with exact control of Origin and Sec-Fetch-Site: the consent
 * form and the logout confirmation refuse cross-site and tokenless posts and change nothing;
 * logout refuses an unregistered post_logout_redirect_uri and a forged id_token_hint, asks
 * before ending a session it has no proof for, and ends it at once with a valid hint.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../src/core/clients/client.types.js';
import { Visitor } from '../support/browser-jar.js';
import { hiddenToken } from '../support/page-forms.js';
import { pkce, tokenRequest } from '../support/oidc-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const BYE = 'https://app.example/bye';

describe('OIDC pages: consent and logout', () => {
  let t: TestApp;
  let firstParty: OAuthClient;
  let thirdParty: OAuthClient;

  beforeEach(async () => {
    t = await createTestApp();
    await registerUser(t, 'hana');
    const register = (body: Parameters<TestApp['app']['core']['clients']['register']>[0]) => t.app.core.clients.register(body, {});
    firstParty = (
      await register({ name: 'Own app', grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none', redirectUris: ['https://app.example/cb'], postLogoutRedirectUris: [BYE], consentRequired: false })
    ).client;
    thirdParty = (await register({ name: 'Other app', grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none', redirectUris: ['https://other.example/cb'] })).client;
  });
  afterEach(() => t.close());

  const authorizeUrl = (client: OAuthClient, challenge: string) =>
    `/oauth2/authorize?${new URLSearchParams({ client_id: client.id, redirect_uri: client.redirectUris[0]!, response_type: 'code', scope: 'openid', state: 's', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`;

  async function signedIn(): Promise<Visitor> {
    const v = new Visitor(t);
    expect((await v.signIn('hana', STRONG_PASSWORD)).statusCode).toBe(303);
    return v;
  }
  const signedInNow = async (v: Visitor) => (await v.get('/account')).statusCode === 200;
  const hana = async () => (await t.app.core.store.users.findByUsernameKey('hana'))!;

  it('the consent form refuses cross-site and tokenless posts; a same-origin one with its token issues the code', async () => {
    const v = await signedIn();
    const { challenge } = pkce();
    const page = await v.get(authorizeUrl(thirdParty, challenge));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Allow Other app to use your account?');
    const fields = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
    const token = hiddenToken(page.body);

    const crossSite = await v.post('/oauth2/consent', { ...fields, _csrf: token, decision: 'allow' }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    const tokenless = await v.post('/oauth2/consent', { ...fields, _csrf: '', decision: 'allow' });
    expect(tokenless.statusCode).toBe(403);
    expect(await t.app.core.consents.list((await hana()).id)).toEqual([]);

    const allowed = await v.post('/oauth2/consent', { ...fields, _csrf: token, decision: 'allow' });
    expect(allowed.statusCode, allowed.body).toBe(200);
    const link = /href="(https:\/\/other\.example\/cb\?[^"]+)" data-follow/.exec(allowed.body)![1]!.replace(/&amp;/g, '&');
    expect(new URL(link).searchParams.get('code')).toBeTruthy();
    expect((await t.app.core.consents.list((await hana()).id)).map((c) => c.clientName)).toEqual(['Other app']);
  });

  it('logout: an unregistered post_logout_redirect_uri or a forged hint is a page, and ends nothing', async () => {
    const v = await signedIn();
    const queries: Record<string, string>[] = [
      { client_id: firstParty.id, post_logout_redirect_uri: 'https://evil.example/' },
      { client_id: thirdParty.id, post_logout_redirect_uri: BYE },
      { post_logout_redirect_uri: BYE },
      { id_token_hint: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', post_logout_redirect_uri: BYE },
    ];
    for (const query of queries) {
      const res = await v.get(`/oauth2/logout?${new URLSearchParams(query).toString()}`);
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
    expect(await signedInNow(v)).toBe(true);
  });

  it('logout without a hint asks first; the confirmation refuses a cross-site post', async () => {
    const v = await signedIn();
    const query = new URLSearchParams({ client_id: firstParty.id, post_logout_redirect_uri: BYE, state: 'x' }).toString();
    const ask = await v.get(`/oauth2/logout?${query}`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Sign out?');
    const fields = { client_id: firstParty.id, post_logout_redirect_uri: BYE, state: 'x', _csrf: hiddenToken(ask.body) };
    expect((await v.post('/oauth2/logout/confirm', fields, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect(await signedInNow(v)).toBe(true);
    const done = await v.post('/oauth2/logout/confirm', fields);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(`href="${BYE}?state=x" data-follow`);
    expect(await signedInNow(v)).toBe(false);
  });

  it('logout with a valid id_token_hint ends the browser session at once and goes back with state', async () => {
    const v = await signedIn();
    const { verifier, challenge } = pkce();
    const back = new URL((await v.get(authorizeUrl(firstParty, challenge))).headers.location as string);
    const tokens = (
      await tokenRequest(t, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: 'https://app.example/cb', client_id: firstParty.id })
    ).json<{ id_token: string }>();
    // the same token with another subject: its signature no longer holds
    const [header, payload, signature] = tokens.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url'), signature].join('.');
    const forged = await v.get(`/oauth2/logout?${new URLSearchParams({ id_token_hint: tampered, post_logout_redirect_uri: BYE }).toString()}`);
    expect(forged.statusCode).toBe(400);
    expect(await signedInNow(v)).toBe(true);

    const res = await v.get(`/oauth2/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: BYE, state: 'y' }).toString()}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${BYE}?state=y`);
    expect(await signedInNow(v)).toBe(false);
  });
});

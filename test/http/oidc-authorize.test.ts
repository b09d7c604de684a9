/**
 * /oauth2/authorize at the HTTP level, without a browser: what is refused on a page and never
 * redirected (unknown client, unregistered redirect URI), what goes back to the client as an
 * error (RFC 6749 4.1.2.1, with `iss` per RFC 9207), the way to the sign-in page, and the core's
 * decisions for a person signed in (prompt, max_age, consent remembered per user and scopes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../src/core/clients/client.types.js';
import type { SignedInPerson } from '../../src/core/use-cases/authorize.js';
import { authorize, personOf, pkce, redirected } from '../support/oidc-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const ISSUER = 'http://tessera.test';

describe('/oauth2/authorize', () => {
  let t: TestApp;
  let app: OAuthClient;
  let thirdParty: OAuthClient;
  let person: SignedInPerson;
  const { challenge } = pkce();

  beforeAll(async () => {
    t = await createTestApp();
    app = (
      await t.app.core.clients.register(
        { name: 'first-party', grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none', redirectUris: ['http://127.0.0.1/cb'], consentRequired: false },
        {},
      )
    ).client;
    thirdParty = (
      await t.app.core.clients.register({ name: 'Third Party', grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none', redirectUris: ['https://third.example/cb'] }, {})
    ).client;
    person = await personOf(t, (await registerUser(t, 'authorize-carol')).access_token, t.clock.now() - 120_000);
  });
  afterAll(async () => t.close());

  const get = (query: Record<string, string>) => t.request('GET', `/oauth2/authorize?${new URLSearchParams(query).toString()}`);
  const base = () => ({ client_id: app.id, redirect_uri: 'http://127.0.0.1/cb', response_type: 'code', scope: 'openid', state: 's1', code_challenge: challenge, code_challenge_method: 'S256' });

  it('an unknown client or an unregistered redirect URI is an HTML page, never a redirect', async () => {
    for (const query of [
      { ...base(), client_id: 'no-such-client' },
      { ...base(), redirect_uri: 'https://evil.example/cb' },
      { ...base(), redirect_uri: 'http://127.0.0.1/cb/' },
      { ...base(), redirect_uri: '' },
      { ...base(), client_id: '' },
    ]) {
      const res = await get(query);
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).not.toContain('evil.example');
    }
  });

  it('other faults go back to the client with error, state and iss', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...base(), response_type: 'token' }, 'unsupported_response_type'],
      [{ ...base(), scope: 'profile' }, 'invalid_scope'],
      [{ ...base(), scope: 'openid admin' }, 'invalid_scope'],
      [{ ...base(), code_challenge: '' }, 'invalid_request'],
      [{ ...base(), code_challenge_method: 'plain' }, 'invalid_request'],
      [{ ...base(), prompt: 'none login' }, 'invalid_request'],
      [{ ...base(), max_age: '-1' }, 'invalid_request'],
      [{ ...base(), request: 'eyJ.x.y' }, 'request_not_supported'],
      [{ ...base(), prompt: 'none' }, 'login_required'],
    ];
    const { code_challenge: _c, ...withoutPkce } = base();
    cases.push([withoutPkce, 'invalid_request']);
    for (const [query, error] of cases) {
      const res = await get(query);
      expect(res.statusCode, JSON.stringify(query)).toBe(303);
      const back = new URL(res.headers.location as string);
      expect(back.origin + back.pathname).toBe('http://127.0.0.1/cb');
      expect(Object.fromEntries(back.searchParams)).toMatchObject({ error, state: 's1', iss: ISSUER });
      expect(back.searchParams.has('code')).toBe(false);
    }
  });

  it('without a browser session it sends the person to the sign-in page and back here', async () => {
    const res = await get(base());
    expect(res.statusCode).toBe(303);
    const signIn = new URL(res.headers.location as string, ISSUER);
    expect(signIn.pathname).toBe('/signin');
    const back = new URL(signIn.searchParams.get('return_to')!, ISSUER);
    expect(back.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(back.searchParams)).toMatchObject(base());
    expect(back.searchParams.get('_fresh')).toMatch(/^\d+000$/);
  });

  it('takes the same request as a POSTed form (OpenID Connect Core 3.1.2.1)', async () => {
    const res = await t.request('POST', '/oauth2/authorize', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...base(), prompt: 'none' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(Object.fromEntries(new URL(res.headers.location as string).searchParams)).toMatchObject({ error: 'login_required', state: 's1', iss: ISSUER });
    const page = await t.request('POST', '/oauth2/authorize', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...base(), redirect_uri: 'https://evil.example/cb' }).toString(),
    });
    expect(page.statusCode).toBe(400);
    expect(page.headers.location).toBeUndefined();
  });

  it('a signed-in person gets a code; prompt=login and max_age ask again, once', async () => {
    expect(redirected(await authorize(t, { client: app, person, challenge, method: 'S256' })).searchParams.get('code')).toBeTruthy();
    expect(await authorize(t, { client: app, person, challenge, method: 'S256', extra: { prompt: 'login' } })).toMatchObject({ kind: 'sign_in' });
    expect(await authorize(t, { client: app, person, challenge, method: 'S256', extra: { max_age: '60' } })).toMatchObject({ kind: 'sign_in' });
    expect(redirected(await authorize(t, { client: app, person, challenge, method: 'S256', extra: { max_age: '600' } })).searchParams.get('code')).toBeTruthy();
    // back from a sign-in at or after the one asked for: no second round
    const fresh = { ...person, authTime: t.clock.now() };
    const after = Math.floor(t.clock.now() / 1000) * 1000;
    const extras: Record<string, string>[] = [{ prompt: 'login' }, { max_age: '0' }];
    for (const extra of extras) {
      expect(redirected(await authorize(t, { client: app, person: fresh, challenge, method: 'S256', extra, signedInAfter: after })).searchParams.get('code')).toBeTruthy();
      expect(await authorize(t, { client: app, person, challenge, method: 'S256', extra, signedInAfter: after })).toMatchObject({ kind: 'sign_in' });
    }
  });

  it('a third-party client asks for consent once per scope set; prompt=none says consent_required; deny is access_denied', async () => {
    const ask = (scope: string, extra: Record<string, string> = {}, consent?: 'allow' | 'deny') =>
      authorize(t, { client: thirdParty, person, challenge, method: 'S256', scope, extra }, consent);
    expect(await ask('openid email')).toMatchObject({ kind: 'consent', clientName: 'Third Party', scopes: ['openid', 'email'] });
    expect(redirected(await ask('openid email', { prompt: 'none' })).searchParams.get('error')).toBe('consent_required');
    expect(redirected(await ask('openid email', {}, 'deny')).searchParams.get('error')).toBe('access_denied');
    expect(redirected(await ask('openid email', {}, 'allow')).searchParams.get('code')).toBeTruthy();
    expect(redirected(await ask('openid email')).searchParams.get('code')).toBeTruthy();
    expect(redirected(await ask('openid')).searchParams.get('code')).toBeTruthy();
    expect(await ask('openid email profile')).toMatchObject({ kind: 'consent' });
    expect(await ask('openid email', { prompt: 'consent' })).toMatchObject({ kind: 'consent' });
    expect((await t.app.core.consents.list(person.user.id)).map((c) => [c.clientName, c.scopes])).toEqual([['Third Party', ['openid', 'email']]]);
    await t.app.core.consents.revoke(person.user.id, thirdParty.id, {});
    expect(await ask('openid')).toMatchObject({ kind: 'consent' });
  });
});

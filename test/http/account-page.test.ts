import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Visitor } from '../support/browser-jar.js';
import { hiddenToken } from '../support/page-forms.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const NEW_PASSWORD = 'another horse battery staple';

describe('the account page (HTTP level)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await registerUser(t, 'erik');
  });
  afterEach(() => t.close());

  async function signedIn(): Promise<Visitor> {
    const v = new Visitor(t);
    expect((await v.signIn('erik', STRONG_PASSWORD)).statusCode).toBe(303);
    return v;
  }
  const apiProfile = (token: string) => t.request('GET', '/v1/user/profile', { token });

  it('without a session, /account sends the browser to the sign-in page and back', async () => {
    const res = await new Visitor(t).get('/account');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?return_to=%2Faccount');
  });

  it('API key: created and shown once in full, listed masked, usable on the API, deleted and refused', async () => {
    const v = await signedIn();
    const created = await v.submit('/account', '/account/keys', { name: 'ci deploy' });
    expect(created.statusCode).toBe(200);
    const key = /id="new-key"[^>]*value="(tsk_[A-Za-z0-9_-]+)"/.exec(created.body)?.[1];
    expect(key).toBeDefined();
    expect((await apiProfile(key!)).statusCode).toBe(200);
    const page = await v.get('/account');
    expect(page.body).not.toContain(key!);
    expect(page.body).toContain(`${key!.slice(0, 8)}...${key!.slice(-4)}`);
    const id = /name="id" value="([0-9a-f-]{36})">\s*<button[^>]*aria-label="Delete the key ci deploy"/.exec(page.body)?.[1];
    expect(id).toBeDefined();
    const deleted = await v.post('/account/keys/delete', { _csrf: hiddenToken(page.body), id: id! });
    expect(deleted.statusCode).toBe(303);
    expect((await apiProfile(key!)).statusCode).toBe(401);
    expect((await v.get('/account')).body).not.toContain('ci deploy');
  });

  it('revoking an API session on the page ends its token; "sign out everywhere" ends all, this browser too', async () => {
    const v = await signedIn();
    const login = (await t.request('POST', '/v1/auth/login', { body: { username: 'erik', password: STRONG_PASSWORD } })).json<{ access_token: string }>();
    const page = await v.get('/account');
    const apiSession = (JSON.parse(Buffer.from(login.access_token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    expect(page.body).toContain(`name="id" value="${apiSession}"`);
    expect((await apiProfile(login.access_token)).statusCode).toBe(200);
    expect((await v.post('/account/sessions/revoke', { _csrf: hiddenToken(page.body), id: apiSession })).headers.location).toBe('/account?done=session_revoked');
    expect((await apiProfile(login.access_token)).statusCode).toBe(401);

    const second = (await t.request('POST', '/v1/auth/login', { body: { username: 'erik', password: STRONG_PASSWORD } })).json<{ access_token: string }>();
    const all = await v.submit('/account', '/account/sessions/revoke-all', {});
    expect(all.headers.location).toBe('/signin');
    expect((await apiProfile(second.access_token)).statusCode).toBe(401);
    expect((await v.get('/account')).statusCode).toBe(303);
  });

  it('password change: the old one is checked, both new ones must match, other sessions end, this browser stays', async () => {
    const v = await signedIn();
    const api = (await t.request('POST', '/v1/auth/login', { body: { username: 'erik', password: STRONG_PASSWORD } })).json<{ access_token: string }>();
    const wrong = await v.submit('/account', '/account/password', { old_password: 'not my password', password: NEW_PASSWORD, password_repeat: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(401);
    const mismatch = await v.submit('/account', '/account/password', { old_password: STRONG_PASSWORD, password: NEW_PASSWORD, password_repeat: `${NEW_PASSWORD}!` });
    expect(mismatch.statusCode).toBe(400);
    const weak = await v.submit('/account', '/account/password', { old_password: STRONG_PASSWORD, password: 'password', password_repeat: 'password' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('The new password was refused');
    const ok = await v.submit('/account', '/account/password', { old_password: STRONG_PASSWORD, password: NEW_PASSWORD, password_repeat: NEW_PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/account?done=password');
    expect((await v.get('/account?done=password')).body).toContain('Your password has been changed');
    expect((await apiProfile(api.access_token)).statusCode).toBe(401);
    expect((await t.request('POST', '/v1/auth/login', { body: { username: 'erik', password: NEW_PASSWORD } })).statusCode).toBe(200);
  });

  it('an expired password leads straight to the change form, then on to return_to', async () => {
    const user = await t.app.core.store.users.findByUsernameKey('erik');
    await t.app.core.userAdmin.expirePassword(user!.id, {});
    const v = new Visitor(t);
    const res = await v.signIn('erik', STRONG_PASSWORD, '/account?from=expired');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin/password?return_to=%2Faccount%3Ffrom%3Dexpired');
    expect(v.jar.cookies.has('tessera-session')).toBe(false);
    expect((await v.get('/account')).statusCode).toBe(303);
    const done = await v.submit(res.headers.location as string, '/signin/password', { password: NEW_PASSWORD, password_repeat: NEW_PASSWORD, return_to: '/account?from=expired' });
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/account?from=expired');
    expect((await v.get('/account')).statusCode).toBe(200);
    // the restricted token was spent: the change form does not open again
    expect((await v.get('/signin/password')).statusCode).toBe(303);
    expect((await t.request('POST', '/v1/auth/login', { body: { username: 'erik', password: NEW_PASSWORD } })).statusCode).toBe(200);
  });

  it('bad input on every form is an HTML 4xx page, never a 500 or JSON', async () => {
    const v = await signedIn();
    const cases: Array<[string, Record<string, string>, number]> = [
      ['/account/keys', { name: '' }, 400],
      ['/account/keys', { name: 'x'.repeat(101) }, 400],
      ['/account/keys', { name: 'nul\u0000here' }, 400],
      ['/account/keys/delete', { id: '../../etc' }, 400],
      ['/account/keys/delete', { id: '00000000-0000-4000-8000-000000000000' }, 404],
      ['/account/sessions/revoke', { id: '00000000-0000-4000-8000-000000000000' }, 404],
      ['/account/sessions/revoke', {}, 400],
      ['/account/password', { old_password: STRONG_PASSWORD }, 400],
      ['/signin', { username: 'erik' }, 400],
      ['/signin/password', { password: 'x' }, 400],
    ];
    for (const [action, fields, status] of cases) {
      const res = await v.submit(action.startsWith('/signin') ? '/signin' : '/account', action, fields);
      expect(res.statusCode, `${action} ${JSON.stringify(fields)}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).not.toContain('stack');
    }
    const dup = await v.post('/account/keys', { _csrf: hiddenToken((await v.get('/account')).body), name: 'a' }, {});
    expect(dup.statusCode).toBe(200);
    const twice = await t.request('POST', '/account/keys', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: v.origin, 'sec-fetch-site': 'same-origin', cookie: v.jar.header() },
      body: `_csrf=${encodeURIComponent(hiddenToken((await v.get('/account')).body))}&name=a&name=b`,
    });
    expect(twice.statusCode).toBe(400);
    expect((await v.get('/account')).statusCode).toBe(200); // still signed in
  });

  it('the change form without a pending sign-in goes to the sign-in page', async () => {
    const v = new Visitor(t);
    expect((await v.get('/signin/password')).statusCode).toBe(303);
  });
});

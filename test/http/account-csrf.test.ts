import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Visitor } from '../support/browser-jar.js';
import { hiddenToken } from '../support/page-forms.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Every state-changing form of the sign-in and account pages refuses a cross-site post (Origin
 * or Sec-Fetch-Site of another site), a post without the page's token, and a token of another
 * browser session; and the refused request changes nothing.
 */
describe('account pages: CSRF', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await registerUser(t, 'fay');
  });
  afterEach(() => t.close());

  const forms: Array<{ action: string; fields: (v: Visitor) => Promise<Record<string, string>> }> = [
    { action: '/account/keys', fields: async () => ({ name: 'csrf key' }) },
    { action: '/account/keys/delete', fields: async (v) => ({ id: await keyId(v) }) },
    { action: '/account/sessions/revoke', fields: async (v) => ({ id: await browserSessionId(v) }) },
    { action: '/account/sessions/revoke-all', fields: async () => ({}) },
    { action: '/account/password', fields: async () => ({ old_password: STRONG_PASSWORD, password: 'csrf horse battery staple', password_repeat: 'csrf horse battery staple' }) },
    { action: '/signout', fields: async () => ({}) },
  ];

  async function keyId(v: Visitor): Promise<string> {
    await v.submit('/account', '/account/keys', { name: 'victim key' });
    return /name="id" value="([0-9a-f-]{36})">\s*<button[^>]*Delete the key victim key/.exec((await v.get('/account')).body)![1]!;
  }
  async function browserSessionId(v: Visitor): Promise<string> {
    return /this browser\)[\s\S]*?name="id" value="([0-9a-f-]{36})"/.exec((await v.get('/account')).body)![1]!;
  }
  async function signedIn(): Promise<Visitor> {
    const v = new Visitor(t);
    expect((await v.signIn('fay', STRONG_PASSWORD)).statusCode).toBe(303);
    return v;
  }
  /** Nothing changed: same keys, same live sessions, this browser signed in, the old password works. */
  async function snapshot(v: Visitor) {
    const user = (await t.app.core.store.users.findByUsernameKey('fay'))!;
    return {
      keys: (await t.app.core.apiKeys.list(user.id)).map((k) => k.id).sort(),
      sessions: (await t.app.core.sessions.listSessions(user.id)).map((s) => s.id).sort(),
      hash: user.passwordHash,
      account: (await v.get('/account')).statusCode,
    };
  }

  for (const form of forms) {
    it(`${form.action}: cross-site, tokenless and other-session posts are 403 and change nothing`, async () => {
      const v = await signedIn();
      const fields = await form.fields(v);
      const before = await snapshot(v);
      const token = hiddenToken((await v.get('/account')).body);

      const crossSite = await v.post(form.action, { _csrf: token, ...fields }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
      expect(crossSite.statusCode).toBe(403);
      expect(crossSite.headers['content-type']).toMatch(/text\/html/);
      const foreignOrigin = await v.post(form.action, { _csrf: token, ...fields }, { origin: 'http://evil.example', 'sec-fetch-site': '' });
      expect(foreignOrigin.statusCode).toBe(403);
      const noToken = await v.post(form.action, fields);
      expect(noToken.statusCode).toBe(403);

      // a token of another sign-in of the same person, in the same browser's CSRF cookie
      const other = new Visitor(t);
      for (const [k, value] of v.jar.cookies) if (k !== 'tessera-session') other.jar.cookies.set(k, value);
      await other.signIn('fay', STRONG_PASSWORD);
      const otherToken = hiddenToken((await other.get('/account')).body);
      const otherSession = await v.post(form.action, { _csrf: otherToken, ...fields });
      expect(otherSession.statusCode).toBe(403);
      await t.app.core.store.sessions.revokeSession((await t.app.core.browserSessions.read(decodeURIComponent(other.jar.cookies.get('tessera-session')!).split('.').slice(0, 2).join('.')))!.sessionId, t.clock.now(), 'test');

      expect(await snapshot(v)).toEqual(before);
      // and the same form with its own token, same-origin, is accepted
      const accepted = await v.post(form.action, { _csrf: token, ...fields });
      expect(accepted.statusCode, accepted.body).toBeLessThan(400);
    });
  }

  it('the sign-in form refuses a cross-site post (login CSRF) and one without the token', async () => {
    const v = new Visitor(t);
    const token = hiddenToken((await v.get('/signin')).body);
    const cross = await v.post('/signin', { _csrf: token, username: 'fay', password: STRONG_PASSWORD }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(cross.statusCode).toBe(403);
    expect(v.jar.cookies.has('tessera-session')).toBe(false);
    expect((await v.post('/signin', { username: 'fay', password: STRONG_PASSWORD })).statusCode).toBe(403);
    expect(v.jar.cookies.has('tessera-session')).toBe(false);
  });
});

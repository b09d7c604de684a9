import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** The core side of browser sessions: rows in `sessions`, only a hash of the secret, both lifetimes. */
describe('browser sessions (core)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ BROWSER_SESSION_IDLE_TTL: '600', BROWSER_SESSION_TTL: '3600' });
    await registerUser(t, 'bea');
  });
  afterEach(() => t.close());

  const signIn = async () => {
    const result = await t.app.core.browserSignIn.signIn('bea', STRONG_PASSWORD, { ip: '127.0.0.1' });
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    return result.started;
  };

  it('starts a session row of client tessera-account and keeps only the hash of the secret', async () => {
    const started = await signIn();
    const secret = started.cookie.split('.')[1]!;
    const record = await t.app.core.store.browserSessions.find(started.session.sessionId);
    expect(record?.secretHash).toBeDefined();
    expect(record?.secretHash).not.toContain(secret);
    expect((await t.app.core.store.sessions.findSession(started.session.sessionId))?.client).toBe('tessera-account');
    expect(started.session.amr).toEqual(['pwd']);
    expect(started.session.authTime).toBe(Math.floor(t.clock.now() / 1000));
    expect((await t.app.core.browserSessions.read(started.cookie))?.user.username).toBe('bea');
  });

  it('refuses a wrong secret for a real session id', async () => {
    const started = await signIn();
    const [id] = started.cookie.split('.');
    expect(await t.app.core.browserSessions.read(`${id}.${'A'.repeat(43)}`)).toBeNull();
    expect(await t.app.core.browserSessions.read('garbage')).toBeNull();
  });

  it('a locked or deleted user has no browser session, even while its row is live', async () => {
    const started = await signIn();
    const user = (await t.app.core.store.users.findByUsernameKey('bea'))!;
    await t.app.core.store.users.update(user.id, { locked: true }); // the row alone, sessions untouched
    expect(await t.app.core.browserSessions.read(started.cookie)).toBeNull();
    await t.app.core.store.users.update(user.id, { locked: false });
    expect(await t.app.core.browserSessions.read(started.cookie)).not.toBeNull();
  });

  it('ends after the idle lifetime, and use keeps it alive until the absolute one', async () => {
    const started = await signIn();
    for (let i = 0; i < 5; i++) {
      t.clock.advanceSeconds(590);
      expect(await t.app.core.browserSessions.read(started.cookie), `after ${(i + 1) * 590} s`).not.toBeNull();
    }
    t.clock.advanceSeconds(590); // 3540 s: still under the absolute 3600
    expect(await t.app.core.browserSessions.read(started.cookie)).not.toBeNull();
    t.clock.advanceSeconds(60); // 3600 s: absolute end, however busy
    expect(await t.app.core.browserSessions.read(started.cookie)).toBeNull();

    const idle = await signIn();
    t.clock.advanceSeconds(600);
    expect(await t.app.core.browserSessions.read(idle.cookie)).toBeNull();
    expect((await t.app.core.store.sessions.findSession(idle.session.sessionId))?.revokedReason).toBe('idle');
  });

  it('the cookie key is one per database, the same on every read', async () => {
    const key = await t.app.core.browserSessions.cookieKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.app.core.store.browserSessions.ensureServerSecret('browser_cookie_key', 'other', 0)).toBe(key);
  });
});

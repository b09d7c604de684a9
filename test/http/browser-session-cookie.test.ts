import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Visitor } from '../support/browser-jar.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const SESSION = 'tessera-session';

describe('the browser session cookie', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ BROWSER_SESSION_IDLE_TTL: '600', BROWSER_SESSION_TTL: '3600', LOGIN_FREE_ATTEMPTS: '2' });
    await registerUser(t, 'carla');
  });
  afterEach(() => t.close());

  async function signedIn(): Promise<Visitor> {
    const v = new Visitor(t);
    const res = await v.signIn('carla', STRONG_PASSWORD);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/account');
    return v;
  }

  it('is signed, HttpOnly, SameSite=Lax, Path=/, not Secure over http, and opens /account', async () => {
    const v = new Visitor(t);
    const res = await v.signIn('carla', STRONG_PASSWORD);
    const line = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith(`${SESSION}=`))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\//);
    expect(line).not.toMatch(/Secure/);
    expect(line).not.toMatch(/Expires|Max-Age/i);
    const account = await v.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('carla');
  });

  it('over https is __Host- prefixed and Secure', async () => {
    const https = await createTestApp({ PUBLIC_URL: 'https://tessera.test' });
    try {
      await registerUser(https, 'dora');
      const v = new Visitor(https, 'https://tessera.test');
      const res = await v.signIn('dora', STRONG_PASSWORD);
      const line = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('__Host-tessera-session='))!;
      expect(line).toMatch(/; Secure/);
      expect(line).toMatch(/Path=\//);
      expect(line).not.toMatch(/Domain/i);
    } finally {
      await https.close();
    }
  });

  it('a tampered signature or secret is no session', async () => {
    const v = await signedIn();
    const good = v.jar.cookies.get(SESSION)!;
    const [id, secret, signature] = decodeURIComponent(good).split('.') as [string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const forged of [`${id}.${secret}.${flip(signature)}`, `${id}.${flip(secret)}.${signature}`, `${id}.${secret}`]) {
      v.jar.cookies.set(SESSION, encodeURIComponent(forged));
      const res = await v.get('/account');
      expect(res.statusCode, forged).toBe(303);
      expect(res.headers.location).toBe('/signin?return_to=%2Faccount');
    }
    v.jar.cookies.set(SESSION, good);
    expect((await v.get('/account')).statusCode).toBe(200);
  });

  it('revoking its session row through the API signs the browser out at once', async () => {
    const v = await signedIn();
    const login = await t.request('POST', '/v1/auth/login', { body: { username: 'carla', password: STRONG_PASSWORD } });
    const token = login.json<{ access_token: string }>().access_token;
    const sessions = (await t.request('GET', '/v1/user/sessions', { token })).json<Array<{ id: string; client?: string; clientId?: string }>>();
    const browser = sessions.filter((s) => JSON.stringify(s).includes('tessera-account'));
    expect(browser).toHaveLength(1);
    expect((await t.request('DELETE', `/v1/user/sessions/${browser[0]!.id}`, { token })).statusCode).toBe(200);
    expect((await v.get('/account')).statusCode).toBe(303);
  });

  it('locking the user signs the browser out', async () => {
    const v = await signedIn();
    const user = await t.app.core.store.users.findByUsernameKey('carla');
    await t.app.core.userAdmin.patch(user!.id, { locked: true }, {});
    expect((await v.get('/account')).statusCode).toBe(303);
  });

  it('ends after the idle lifetime; use keeps it alive until the absolute lifetime', async () => {
    const v = await signedIn();
    for (let i = 0; i < 6; i++) {
      t.clock.advanceSeconds(590);
      expect((await v.get('/account')).statusCode, `after ${(i + 1) * 590} s`).toBe(200);
    }
    t.clock.advanceSeconds(60); // 3600 s after the sign-in
    expect((await v.get('/account')).statusCode).toBe(303);

    const idle = await signedIn();
    t.clock.advanceSeconds(599);
    expect((await idle.get('/account')).statusCode).toBe(200);
    t.clock.advanceSeconds(600);
    expect((await idle.get('/account')).statusCode).toBe(303);
  });

  it('the sign-in form is throttled exactly like the API login, on the same counters', async () => {
    const v = new Visitor(t);
    for (let i = 0; i < 2; i++) expect((await v.signIn('carla', 'wrong password here')).statusCode).toBe(401);
    const throttled = await v.signIn('carla', STRONG_PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.body).toContain('Too many attempts');
    const api = await t.request('POST', '/v1/auth/login', { body: { username: 'carla', password: STRONG_PASSWORD } });
    expect(api.statusCode).toBe(429);
  });

  it('a wrong password shows the form again, saying only that the pair is wrong', async () => {
    const v = new Visitor(t);
    const wrongUser = await v.signIn('nobody', STRONG_PASSWORD);
    const wrongPassword = await v.signIn('carla', 'wrong password here');
    expect(wrongUser.statusCode).toBe(401);
    expect(wrongPassword.statusCode).toBe(401);
    expect(wrongUser.body).toContain('The username or password is incorrect.');
    expect(wrongPassword.body).toContain('The username or password is incorrect.');
    expect(wrongPassword.headers['set-cookie']?.toString() ?? '').not.toContain(SESSION);
  });

  it('return_to goes back to a path on this server, and anywhere else is /account', async () => {
    for (const good of ['/account?x=1', '/oauth2/authorize?client_id=a&state=b%2Fc']) {
      expect((await new Visitor(t).signIn('carla', STRONG_PASSWORD, good)).headers.location).toBe(good);
    }
    const attacks = ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'http:/evil.example', 'javascript:alert(1)', '/\t/evil.example', '\\\\evil.example', ' //evil.example', 'evil.example', '/%0a/evil'.replace('%0a', '\n')];
    for (const attack of attacks) {
      const res = await new Visitor(t).signIn('carla', STRONG_PASSWORD, attack);
      expect(res.statusCode, JSON.stringify(attack)).toBe(303);
      expect(res.headers.location, JSON.stringify(attack)).toBe('/account');
    }
  });

  it('the sign-in form is shown also to a signed-in browser (prompt=login relies on it)', async () => {
    const v = await signedIn();
    const res = await v.get('/signin?return_to=%2Foauth2%2Fauthorize%3Fx%3D1');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="password"');
    expect(res.body).toContain('value="/oauth2/authorize?x=1"');
  });

  it('another instance on the same database accepts the cookie, and signs it out when this one does', async () => {
    const other = await createTestApp({ DATABASE_URL: t.app.config.DATABASE_URL, DATABASE_POOL_SIZE: "3" });
    try {
      const v = await signedIn();
      const there = new Visitor(other);
      for (const [name, value] of v.jar.cookies) there.jar.cookies.set(name, value);
      expect((await there.get('/account')).statusCode).toBe(200); // one cookie key for every instance
      await v.submit('/account', '/signout', {});
      expect((await there.get('/account')).statusCode).toBe(303);
    } finally {
      await other.close();
    }
  });

  it('no log line holds the password, the cookie or its secret', async () => {
    const v = await signedIn();
    await v.get('/account');
    const cookie = decodeURIComponent(v.jar.cookies.get(SESSION)!);
    const logs = t.logs.join('');
    expect(logs).not.toContain(STRONG_PASSWORD);
    expect(logs).not.toContain(cookie.split('.')[1]!);
  });

  it('signing in again (prompt=login, another person) ends the session the browser had', async () => {
    const v = await signedIn();
    const first = v.jar.cookies.get(SESSION)!;
    expect((await v.signIn('carla', STRONG_PASSWORD)).statusCode).toBe(303);
    const second = v.jar.cookies.get(SESSION)!;
    expect(second).not.toBe(first);
    expect((await v.get('/account')).statusCode).toBe(200);
    v.jar.cookies.set(SESSION, first);
    expect((await v.get('/account')).statusCode).toBe(303);
  });

  it('sign-out revokes the row and clears the cookie', async () => {
    const v = await signedIn();
    const cookie = v.jar.cookies.get(SESSION)!;
    const out = await v.submit('/account', '/signout', {});
    expect(out.statusCode).toBe(303);
    expect(v.jar.cookies.has(SESSION)).toBe(false);
    v.jar.cookies.set(SESSION, cookie); // a copy kept by someone is dead too
    expect((await v.get('/account')).statusCode).toBe(303);
  });
});

/**
 * The sign-in and account pages in Chromium against the real server process: sign in, create an
 * API key and use it on the API, reload and see it masked, delete it and see the API refuse it,
 * revoke a session and see its token refused, change the password, sign out. axe on every page,
 * no console error (the fixture fails the test on one), the CSP forbids inline scripts, and a
 * cross-site page posting the account forms changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowser } from '../support/browser.js';
import { startForeignSite, type ForeignSite } from '../support/foreign-site.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'violet anchor mango 4417';
const NEW_PASSWORD = 'copper lantern thistle 2290';

describeBrowser('sign-in and account pages in a browser', () => {
  let server: ServerProcess;
  let foreign: ForeignSite;
  const browser = useBrowser();

  const api = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const register = async (username: string) => expect((await api('POST', '/v1/user', { body: { username, password: PASSWORD } })).status).toBe(200);
  const apiLogin = async (username: string, password = PASSWORD) => (await api('POST', '/v1/auth/login', { body: { username, password } })).json?.access_token as string;

  beforeAll(async () => {
    foreign = await startForeignSite();
    server = await startServer({ env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', TESSERA_BOOTSTRAP_ADMIN: `root:${PASSWORD}` } });
  });
  afterAll(async () => {
    await server?.stop();
    await foreign?.close();
  });

  async function signIn(username: string, password = PASSWORD) {
    const page = browser.page();
    await page.goto(`${server.url}/account`);
    await page.waitForURL(/\/signin\?return_to=%2Faccount$/);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    return page;
  }

  it('sign in, API key, session revoke, password change, sign out', async () => {
    await register('gwen');
    const page = browser.page();
    const signin = await page.goto(`${server.url}/account`);
    expect(page.url()).toBe(`${server.url}/signin?return_to=%2Faccount`);
    const csp = signin?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.title()).toBe('Sign in · Tessera');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await browser.expectAccessible();

    // a wrong password: the form again, with the reason, accessible
    await page.getByLabel('Username').fill('gwen');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The username or password is incorrect.').waitFor();
    await browser.expectAccessible();
    browser.forgetErrors(/status of 401/);

    await page.getByLabel('Username').fill('gwen');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(page.url()).toBe(`${server.url}/account`);
    await browser.expectAccessible();

    // an API key: shown once in full, with a working copy button (assets/copy-key.js)
    await browser.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByLabel('Name of the new key').fill('deploy');
    await page.getByRole('button', { name: 'Create key' }).click();
    const field = page.getByLabel('API key', { exact: true });
    const key = await field.inputValue();
    expect(key).toMatch(/^tsk_[A-Za-z0-9_-]{32}$/);
    await browser.expectAccessible();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
    expect((await api('GET', '/v1/user/profile', { token: key })).status).toBe(200);

    await page.goto(`${server.url}/account`);
    const masked = `${key.slice(0, 8)}...${key.slice(-4)}`;
    await page.getByText(masked).waitFor();
    expect(await page.content()).not.toContain(key);

    await page.getByRole('button', { name: 'Delete the key deploy' }).click();
    await page.getByText('The API key has been deleted.').waitFor();
    await browser.expectAccessible();
    expect((await api('GET', '/v1/user/profile', { token: key })).status).toBe(401);

    // a session of the API: revoked on the page, its token refused
    const token = await apiLogin('gwen');
    const sid = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    expect((await api('GET', '/v1/user/profile', { token })).status).toBe(200);
    await page.goto(`${server.url}/account`);
    await page.locator('li', { has: page.locator(`input[name="id"][value="${sid}"]`) }).getByRole('button', { name: /^Revoke the session/ }).click();
    await page.getByText('The session has been revoked.').waitFor();
    expect((await api('GET', '/v1/user/profile', { token })).status).toBe(401);

    // the password
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password has been changed.').waitFor();
    await browser.expectAccessible();
    expect(await apiLogin('gwen', NEW_PASSWORD)).toBeTruthy();

    // sign out: the account page asks for a sign-in again
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${server.url}/account`);
    await page.waitForURL(/\/signin\?return_to=%2Faccount$/);
  });

  it('an expired password goes through the change form, then on to the account page', async () => {
    await register('hugo');
    const admin = await apiLogin('root');
    const users = await api('GET', '/v1/admin/users?query=hugo', { token: admin });
    const id = (users.json?.users as Array<{ id: string; username: string }>).find((u) => u.username === 'hugo')!.id;
    expect((await api('PATCH', `/v1/admin/users/${id}`, { token: admin, body: { passwordExpired: true } })).status).toBe(200);

    const page = browser.page();
    await page.goto(`${server.url}/signin?return_to=%2Faccount`);
    await page.getByLabel('Username').fill('hugo');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your password has expired' }).waitFor();
    await browser.expectAccessible();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(page.url()).toBe(`${server.url}/account`);
  });

  it('signs in with the keyboard alone on a phone-sized screen, without sideways scrolling', async () => {
    await register('kiri');
    const page = browser.page();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/signin?return_to=%2Faccount`);
    await page.keyboard.press('Tab'); // the skip link comes first
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('username');
    await page.keyboard.type('kiri');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    for (const url of ['/account', '/signin']) {
      await page.goto(`${server.url}${url}`);
      expect(await page.evaluate('document.documentElement.scrollWidth'), url).toBeLessThanOrEqual(360);
      await browser.expectAccessible();
    }
  });

  it('the CSP blocks an inline script injected into the page', async () => {
    await register('iris');
    const page = await signIn('iris');
    const blocked = page.waitForEvent('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()));
    // page code as a string: the test's own TypeScript knows no DOM
    await page.evaluate(`{
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inline = "ran"';
      document.body.append(script);
    }`);
    await blocked;
    expect(await page.evaluate("document.body.dataset.inline ?? 'blocked'")).toBe('blocked');
    browser.forgetErrors(/Content Security Policy/);
  });

  it('a cross-site page posting each account form changes nothing', async () => {
    await register('jana');
    const page = await signIn('jana');
    await page.getByLabel('Name of the new key').fill('kept');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.goto(`${server.url}/account`);
    const keyId = await page.locator('#keys input[name="id"]').first().inputValue();
    const sessionId = await page.locator('#sessions input[name="id"]').first().inputValue();
    const before = await page.locator('main').innerText();
    const attacks: Array<[string, Record<string, string>]> = [
      ['/account/keys', { name: 'planted', _csrf: 'guessed' }],
      ['/account/keys/delete', { id: keyId, _csrf: 'guessed' }],
      ['/account/sessions/revoke', { id: sessionId, _csrf: 'guessed' }],
      ['/account/sessions/revoke-all', { _csrf: 'guessed' }],
      ['/account/password', { old_password: PASSWORD, password: NEW_PASSWORD, password_repeat: NEW_PASSWORD, _csrf: 'guessed' }],
      ['/signout', { _csrf: 'guessed' }],
    ];
    for (const [action, fields] of attacks) {
      const response = page.waitForResponse((r) => r.url() === `${server.url}${action}` && r.request().method() === 'POST');
      await page.goto(foreign.attackUrl(`${server.url}${action}`, fields));
      const status = (await response).status();
      // refused: 403 (the CSRF check), or 303 to the sign-in page when SameSite=Lax kept the session cookie home
      expect([303, 403], `${action}: ${status}`).toContain(status);
      if (status === 303) expect((await response).headers().location).toMatch(/^\/signin/);
    }
    browser.forgetErrors(/status of 403/);
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await page.locator('main').innerText()).toBe(before);
    expect(await apiLogin('jana')).toBeTruthy(); // the password is unchanged
  });
});

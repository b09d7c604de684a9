/**
 * From the mail to a working password, and from registration to a verified address, in Chromium
 * against the real server process with mail through a real SMTP listener: no hand-made request
 * to the pages. axe on every page, no console error, the CSP forbids inline scripts, and a page on
 * another site posting either form changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { describeBrowser, useBrowser } from '../support/browser.js';
import { startForeignSite, type ForeignSite } from '../support/foreign-site.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startSmtpListener, type SmtpListener } from '../support/smtp-listener.js';

const OLD_PASSWORD = 'violet anchor mango 4417';
const NEW_PASSWORD = 'quiet lantern orbit 9083';

describeBrowser('reset and verification pages in a browser', () => {
  let smtp: SmtpListener;
  let server: ServerProcess;
  let foreign: ForeignSite;
  const browser = useBrowser();

  async function api(method: string, path: string, body?: unknown, token?: string) {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  /** The link of a mail, as a person would click it. */
  const linkOf = (text: string, path: string) => `${server.url}${path}${codeFromMail({ text } as never, path)}`;

  function expectStrictCsp(csp: string | undefined) {
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-/);
  }

  beforeAll(async () => {
    smtp = await startSmtpListener();
    foreign = await startForeignSite();
    // No PUBLIC_URL: it follows the listen address (http://127.0.0.1:<port>), so the mailed links
    // open this server, and the pages' origin check knows the browser's origin.
    server = await startServer({ env: { SMTP_URL: smtp.url, EMAIL_VERIFICATION: 'true', MAIL_RATE_PER_ADDRESS: '50', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    await foreign?.close();
  });

  it('forgot password: the mailed link sets a new password, which then logs in through the API', async () => {
    const email = 'forgot@example.com';
    expect((await api('POST', '/v1/user', { username: 'forgot', password: OLD_PASSWORD, email })).status).toBe(200);
    await smtp.waitForMail(email); // the verification mail of the registration
    expect((await api('POST', '/v1/user/password/restore', { email })).status).toBe(200);
    const mail = await smtp.waitForMail(email);
    expect(mail.html).toContain('/reset/');

    const page = browser.page();
    const response = await page.goto(linkOf(mail.text ?? '', '/reset/'));
    expect(response?.status()).toBe(200);
    expectStrictCsp(response?.headers()['content-security-policy']);
    expect(await page.title()).toBe('Set a new password · Tessera');
    await expect(page.getByRole('listitem').filter({ hasText: 'At least 8 characters.' }).count()).resolves.toBe(1);
    await browser.expectAccessible();

    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await browser.expectAccessible();
    expect(await page.getByRole('link', { name: 'Sign in to your account' }).getAttribute('href')).toBe('/account');

    expect((await api('POST', '/v1/auth/login', { username: 'forgot', password: NEW_PASSWORD })).status).toBe(200);
    expect((await api('POST', '/v1/auth/login', { username: 'forgot', password: OLD_PASSWORD })).status).toBe(401);
    await smtp.waitForMail(email); // the password-changed notice

    // The used link: a clear page that offers a new mail, which arrives.
    const used = await page.goto(linkOf(mail.text ?? '', '/reset/'));
    expect(used?.status()).toBe(410);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await browser.expectAccessible();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    expect((await smtp.waitForMail(email)).subject).toMatch(/reset/i);
    browser.forgetErrors(/status of 410/);
  });

  it('two different passwords: the browser itself says so (pages.js), and the server too without it', async () => {
    const email = 'mismatch@example.com';
    await api('POST', '/v1/user', { username: 'mismatch', password: OLD_PASSWORD, email });
    await smtp.waitForMail(email);
    await api('POST', '/v1/user/password/restore', { email });
    const link = linkOf((await smtp.waitForMail(email)).text ?? '', '/reset/');
    const page = browser.page();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(link);
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(`${NEW_PASSWORD}!`);
    expect(await page.getByLabel('New password again').evaluate((input) => (input as unknown as { validationMessage: string }).validationMessage)).toContain('differ');
    await page.getByLabel('Show passwords').check();
    expect(await page.getByLabel('New password again').getAttribute('type')).toBe('text');

    const noScript = await browser.browser().newContext({ javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto(link);
      await plain.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await plain.getByLabel('New password again').fill(`${NEW_PASSWORD}!`);
      await plain.getByRole('button', { name: 'Set password' }).click();
      await plain.getByText('The two passwords differ').waitFor();
      // Nothing was used up: the link still opens the form.
      expect((await plain.goto(link))?.status()).toBe(200);
    } finally {
      await noScript.close();
    }
  });

  it('a page on another site posting the reset form or the verification button changes nothing', async () => {
    const email = 'target@example.com';
    const reg = await api('POST', '/v1/user', { username: 'target', password: OLD_PASSWORD, email });
    const verifyLink = linkOf((await smtp.waitForMail(email)).text ?? '', '/verify-email/');
    await api('POST', '/v1/user/password/restore', { email });
    const resetLink = linkOf((await smtp.waitForMail(email)).text ?? '', '/reset/');
    const page = browser.page();
    // The victim has Tessera's CSRF cookie from an earlier visit.
    await page.goto(`${server.url}/reset`);
    for (const [target, fields] of [
      [resetLink, { password: 'attacker chosen words 1', confirm: 'attacker chosen words 1', _csrf: 'x' }],
      [verifyLink, { _csrf: 'x' }],
    ] as const) {
      const answer = page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST');
      await page.goto(foreign.attackUrl(target, fields));
      expect((await answer).status()).toBe(403);
      await page.getByRole('heading', { name: 'This form could not be sent' }).waitFor();
    }
    browser.forgetErrors(/status of 403/);
    expect((await api('POST', '/v1/auth/login', { username: 'target', password: 'attacker chosen words 1' })).status).toBe(401);
    expect((await api('GET', '/v1/user/profile', undefined, reg.json.access_token as string)).json.emailVerified).toBe(false);
    expect((await page.goto(resetLink))?.status()).toBe(200);
    expect((await page.goto(verifyLink))?.status()).toBe(200);
  });

  it('registration with an email: the mailed link shows a button, which verifies the address', async () => {
    const email = 'verify.me@example.com';
    const reg = await api('POST', '/v1/user', { username: 'verify.me', password: OLD_PASSWORD, email });
    expect(reg.status).toBe(200);
    const mail = await smtp.waitForMail(email);
    expect(mail.subject).toBe('Confirm your email address');
    const link = linkOf(mail.text ?? '', '/verify-email/');

    const page = browser.page();
    const response = await page.goto(link);
    expectStrictCsp(response?.headers()['content-security-policy']);
    await browser.expectAccessible();
    // Opening the link (what a mail scanner does) verified nothing.
    expect((await api('GET', '/v1/user/profile', undefined, reg.json.access_token as string)).json.emailVerified).toBe(false);
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('heading', { name: 'Email address confirmed' }).waitFor();
    await browser.expectAccessible();

    const login = await api('POST', '/v1/auth/login', { username: 'verify.me', password: OLD_PASSWORD });
    const token = login.json.access_token as string;
    expect((await api('GET', '/v1/user/profile', undefined, token)).json.emailVerified).toBe(true);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.email_verified).toBe(true);
    expect((await api('GET', '/v1/api/auth/me', undefined, token)).json.verified).toBe(true);

    expect((await page.goto(link))?.status()).toBe(410);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await browser.expectAccessible();
    browser.forgetErrors(/status of 410/);
  });
});

/**
 * The "send me a reset link" page in Chromium against the real server process and a real SMTP
 * listener: accessible, strict CSP, the mail arrives; a cross-site page posting the same form is
 * refused and sends nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowser } from '../support/browser.js';
import { startForeignSite, type ForeignSite } from '../support/foreign-site.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startSmtpListener, type SmtpListener } from '../support/smtp-listener.js';

const EMAIL = 'reset.request@example.com';

describeBrowser('reset-request page in a browser', () => {
  let smtp: SmtpListener;
  let server: ServerProcess;
  let foreign: ForeignSite;
  const browser = useBrowser();

  beforeAll(async () => {
    smtp = await startSmtpListener();
    foreign = await startForeignSite();
    server = await startServer({ env: { SMTP_URL: smtp.url, ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
    const res = await fetch(`${server.url}/v1/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'reset.request', password: 'violet anchor mango 4417', email: EMAIL }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    await foreign?.close();
  });

  it('asks for an address, says to check the mail, and the mail arrives', async () => {
    const page = browser.page();
    const response = await page.goto(`${server.url}/reset`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.title()).toBe('Send a new reset link · Tessera');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await browser.expectAccessible();

    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await browser.expectAccessible();
    const mail = await smtp.waitForMail(EMAIL);
    expect(mail.subject).toMatch(/reset/i);
  });

  it('refuses the same form posted by another site, and mails nothing', async () => {
    const page = browser.page();
    const victim = 'cross.site@example.com';
    await fetch(`${server.url}/v1/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'cross.site', password: 'violet anchor mango 4417', email: victim }),
    });
    // The victim's browser holds Tessera's CSRF cookie from an earlier visit.
    await page.goto(`${server.url}/reset`);
    const response = page.waitForResponse((r) => r.url() === `${server.url}/reset` && r.request().method() === 'POST');
    await page.goto(foreign.attackUrl(`${server.url}/reset`, { email: victim, _csrf: 'guessed' }));
    expect((await response).status()).toBe(403);
    await page.getByRole('heading', { name: 'This form could not be sent' }).waitFor();
    await browser.expectAccessible();
    browser.forgetErrors(/status of 403/);
    // A legitimate request after it: once its mail is in, the refused one would have been too.
    await page.goto(`${server.url}/reset`);
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await smtp.waitForMail(EMAIL);
    expect(smtp.mailsTo(victim)).toEqual([]);
  });
});

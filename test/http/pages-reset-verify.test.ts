/**
 * The reset and verification pages without a browser (test/browser/ drives them in Chromium):
 * GET never uses a code, POST goes through the core's use cases, every refusal is an HTML page,
 * and the JSON API beside them is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { openForm, postForm, sameOrigin } from '../support/page-forms.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const ORIGIN = 'http://tessera.test';
const NEW_PASSWORD = 'quiet lantern orbit 9083';
let t: TestApp;
const seen = new Set<string>();

beforeAll(async () => {
  t = await createTestApp({ MAIL_RATE_PER_ADDRESS: '100', PASSWORD_HISTORY: '2' });
});
afterAll(() => t?.close());

/**
 * The mail with this subject not taken yet (the core mails after answering; mails() waits for
 * that). By subject: a reset also mails a password-changed notice, in no fixed order.
 */
async function nextMail(subject: string) {
  const mail = (await t.mails()).find((m) => m.subject === subject && !seen.has(m.messageId ?? ''));
  expect(mail, `a new mail "${subject}"`).toBeDefined();
  seen.add(mail!.messageId ?? '');
  return mail!;
}

async function resetCode(email: string) {
  expect((await t.request('POST', '/v1/user/password/restore', { body: { email } })).statusCode).toBe(200);
  return codeFromMail(await nextMail('Reset your password'));
}

const login = (username: string, password: string) => t.request('POST', '/v1/auth/login', { body: { username, password } });

describe('reset page', () => {
  it('GET shows the form with the rules of the policy, and using it twice is harmless (nothing consumed)', async () => {
    await registerUser(t, 'page.reset', STRONG_PASSWORD, { email: 'page.reset@example.com' });
    const code = await resetCode('page.reset@example.com');
    const mail = (await t.mails()).find((m) => m.text?.includes(code))!;
    expect(mail.text).toContain(`${ORIGIN}/reset/${code}`);
    expect(mail.html).toContain(`href="${ORIGIN}/reset/${code}"`);
    for (let i = 0; i < 2; i += 1) {
      const page = await t.request('GET', `/reset/${code}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('At least 8 characters.');
      expect(page.body).toContain('Not one of your last 2 passwords.');
      expect(page.body).toContain('minlength="8"');
    }
    // The API still takes the same code: the page's GET did not use it.
    expect((await t.request('GET', `/v1/user/confirm/${code}`)).statusCode).toBe(200);
  });

  it('POST with two different passwords re-renders the form (422) and burns nothing', async () => {
    const code = await resetCode('page.reset@example.com');
    const form = await openForm(t, `/reset/${code}`);
    const res = await postForm(t, `/reset/${code}`, { _csrf: form.token, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` }, sameOrigin(ORIGIN, form.cookie));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The two passwords differ');
    expect((await t.request('GET', `/reset/${code}`)).statusCode).toBe(200);
  });

  it('a password the policy refuses is shown on the form; the retry works with the same page', async () => {
    const code = await resetCode('page.reset@example.com');
    const form = await openForm(t, `/reset/${code}`);
    const refused = await postForm(t, `/reset/${code}`, { _csrf: form.token, password: 'password', confirm: 'password' }, sameOrigin(ORIGIN, form.cookie));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('This password cannot be used: password is too common.');
    const retryToken = /name="token" value="([^"]+)"/.exec(refused.body)?.[1];
    expect(retryToken).toBeDefined();
    const done = await postForm(t, `/reset/${code}`, { _csrf: form.token, password: NEW_PASSWORD, confirm: NEW_PASSWORD, token: retryToken! }, sameOrigin(ORIGIN, form.cookie));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Password changed');
    expect(done.body).toContain('href="/account"');
    expect((await login('page.reset', NEW_PASSWORD)).statusCode).toBe(200);
    expect((await login('page.reset', STRONG_PASSWORD)).statusCode).toBe(401);
  });

  it('a used, unknown or API-used code is a 410 page that offers a new mail', async () => {
    const code = await resetCode('page.reset@example.com');
    const form = await openForm(t, `/reset/${code}`);
    const fields = { _csrf: form.token, password: 'amber meadow falcon 2291', confirm: 'amber meadow falcon 2291' };
    expect((await postForm(t, `/reset/${code}`, fields, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(200);
    for (const url of [`/reset/${code}`, '/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const gone = await t.request('GET', url);
      expect(gone.statusCode).toBe(410);
      expect(gone.headers['content-type']).toMatch(/^text\/html/);
      expect(gone.body).toContain('This link no longer works');
      expect(gone.body).toContain('action="/reset"');
    }
    const again = await postForm(t, `/reset/${code}`, fields, sameOrigin(ORIGIN, form.cookie));
    expect(again.statusCode).toBe(410);
    // A code the API traded already is used too.
    const apiUsed = await resetCode('page.reset@example.com');
    expect((await t.request('GET', `/v1/user/confirm/${apiUsed}`)).statusCode).toBe(200);
    expect((await t.request('GET', `/reset/${apiUsed}`)).statusCode).toBe(410);
  });

  it('refuses a post without the CSRF token or from another origin, and the code still works', async () => {
    const code = await resetCode('page.reset@example.com');
    const form = await openForm(t, `/reset/${code}`);
    const fields = { password: 'cobalt river lantern 5521', confirm: 'cobalt river lantern 5521' };
    expect((await postForm(t, `/reset/${code}`, fields, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(403);
    expect((await postForm(t, `/reset/${code}`, { ...fields, _csrf: form.token }, { origin: 'https://evil.example', cookie: form.cookie })).statusCode).toBe(403);
    expect((await t.request('GET', `/reset/${code}`)).statusCode).toBe(200);
  });

  it('logs the page URL without the code', async () => {
    const code = await resetCode('page.reset@example.com');
    await t.request('GET', `/reset/${code}`);
    expect(t.logs.join('')).not.toContain(code);
    expect(t.logs.join('')).toContain('/reset/[REDACTED]');
  });
});

describe('verification page', () => {
  it('GET shows a button and verifies nothing; POST verifies; the link then no longer works', async () => {
    const { access_token: token } = await registerUser(t, 'page.verify', STRONG_PASSWORD, { email: 'page.verify@example.com' });
    expect((await t.request('POST', '/v1/user/email/verify', { token })).statusCode).toBe(200);
    const code = codeFromMail(await nextMail('Confirm your email address'), '/verify-email/');
    const profile = async () => (await t.request('GET', '/v1/user/profile', { token })).json<{ emailVerified: boolean }>();
    const page = await t.request('GET', `/verify-email/${code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confirm my address');
    expect((await profile()).emailVerified).toBe(false);
    const form = await openForm(t, `/verify-email/${code}`);
    expect((await postForm(t, `/verify-email/${code}`, {}, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(403);
    expect((await profile()).emailVerified).toBe(false);
    const done = await postForm(t, `/verify-email/${code}`, { _csrf: form.token }, sameOrigin(ORIGIN, form.cookie));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Email address confirmed');
    expect((await profile()).emailVerified).toBe(true);
    expect((await t.request('GET', `/verify-email/${code}`)).statusCode).toBe(410);
    expect((await postForm(t, `/verify-email/${code}`, { _csrf: form.token }, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(410);
  });
});

describe('verification mail on registration (EMAIL_VERIFICATION)', () => {
  it('is off by default: registering with an email sends no mail', async () => {
    const before = (await t.mails()).length;
    await registerUser(t, 'no.mail', STRONG_PASSWORD, { email: 'no.mail@example.com' });
    expect((await t.mails()).length).toBe(before);
  });

  it('when on, registering with an email mails a verification link; without an email, nothing', async () => {
    const on = await createTestApp({ EMAIL_VERIFICATION: 'true' });
    try {
      await registerUser(on, 'with.mail', STRONG_PASSWORD, { email: 'with.mail@example.com' });
      await registerUser(on, 'without.mail', STRONG_PASSWORD);
      const mails = await on.mails();
      expect(mails).toHaveLength(1);
      expect(JSON.stringify(mails[0]!.to)).toContain('with.mail@example.com');
      expect(mails[0]!.text).toContain('http://tessera.test/verify-email/');
      expect(mails[0]!.html).toContain('Confirm my address');
    } finally {
      await on.close();
    }
  });
});

describe('throttled page form', () => {
  it('past the mail limit per IP, the reset-request form answers an HTML 429 page with Retry-After', async () => {
    const limited = await createTestApp({ MAIL_RATE_PER_IP: '2' });
    try {
      const form = await openForm(limited, '/reset');
      const post = (email: string) => postForm(limited, '/reset', { _csrf: form.token, email }, sameOrigin(ORIGIN, form.cookie));
      expect((await post('one@example.com')).statusCode).toBe(200);
      expect((await post('two@example.com')).statusCode).toBe(200);
      const refused = await post('three@example.com');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toContain('Too many attempts');
    } finally {
      await limited.close();
    }
  });
});

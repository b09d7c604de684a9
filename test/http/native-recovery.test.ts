import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, login, mailsTo, newMailTo, type TokenPair } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const NEW_PASSWORD = 'a completely different passphrase';

let t: TestApp;
let userId: string;
beforeAll(async () => {
  // this file asks for many reset mails for one address: the mail throttle is not under test here
  t = await createTestApp({ MAIL_RATE_PER_ADDRESS: '1000', MAIL_RATE_PER_IP: '100000' });
  await registerUser(t, 'alice', STRONG_PASSWORD, { email: 'alice@example.com' });
  userId = (await t.app.core.store.users.findByEmail('alice@example.com'))!.id;
});
afterAll(async () => t.close());

const restore = (email: string, path = '/v1/user/password/restore') => t.request('POST', path, { body: { email } });
const confirm = (code: string, headers: Record<string, string> = {}) =>
  t.request('GET', `/v1/user/confirm/${encodeURIComponent(code)}`, { headers });
const reset = (token: string, password: string) => t.request('POST', '/v1/user/password/reset', { body: { token, password } });

/** Asks for a reset mail and answers the code in it. */
async function mailedCode(path = '/v1/user/password/restore'): Promise<string> {
  const seen = await mailsTo(t, 'alice@example.com');
  expect((await restore('alice@example.com', path)).statusCode).toBe(200);
  return codeFromMail(await newMailTo(t, 'alice@example.com', seen));
}

async function resetToken(): Promise<string> {
  const res = await confirm(await mailedCode());
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

describe('POST /v1/user/password/restore and /v1/user/resendEmail', () => {
  it('answers the same for known and unknown addresses and mails only the known one', async () => {
    for (const path of ['/v1/user/password/restore', '/v1/user/resendEmail']) {
      const before = (await t.mails()).length;
      const known = await restore('Alice@Example.com', path);
      const unknown = await restore('nobody@example.com', path);
      const notEmail = await restore('not an email', path);
      expect(known.statusCode).toBe(200);
      expect(unknown.statusCode).toBe(200);
      expect(notEmail.statusCode).toBe(200);
      expect(known.json()).toEqual({ email: 'Alice@Example.com' });
      expect(unknown.json()).toEqual({ email: 'nobody@example.com' });
      const mails = await t.mails();
      expect(mails.length).toBe(before + 1);
      expect(await mailsTo(t, 'nobody@example.com')).toEqual([]);
    }
  });

  it('mails a link built from PUBLIC_URL with a base64url code of at least 128 bits', async () => {
    const seen = await mailsTo(t, 'alice@example.com');
    await restore('alice@example.com');
    const mail: ParsedMail = await newMailTo(t, 'alice@example.com', seen);
    expect(mail.subject).toBe('Reset your password');
    const code = codeFromMail(mail);
    expect(code).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(mail.text).toContain(`http://tessera.test/reset/${code}`);
    expect(t.logs.join('')).not.toContain(code);
  });

  it('validates the body', async () => {
    expectFieldError(await t.request('POST', '/v1/user/password/restore', { body: {} }), 'email');
    expectFieldError(await t.request('POST', '/v1/user/resendEmail', { body: { email: 5 } }), 'email');
    expectFieldError(await t.request('POST', '/v1/user/resendEmail', { body: { email: 'a'.repeat(255) } }), 'email');
  });

  it('kills the previous code when a new one is sent', async () => {
    const first = await mailedCode();
    const second = await mailedCode('/v1/user/resendEmail');
    expect(second).not.toBe(first);
    expectProblem(await confirm(first), 400, 'reset_code_invalid');
    expect((await confirm(second)).statusCode).toBe(200);
  });
});

describe('GET /v1/user/confirm/{code}', () => {
  it('trades the code once for a reset token expiring in 30 minutes', async () => {
    const code = await mailedCode();
    const res = await confirm(code);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ token: string; expiresAt: string }>();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token']);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(body.token).not.toBe(code);
    expect(body.expiresAt).toBe(new Date(Math.floor((t.clock.now() + 1800_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    expectProblem(await confirm(code), 400, 'reset_code_invalid');
  });

  it('rejects a code after 31 minutes, and unknown codes', async () => {
    const code = await mailedCode();
    t.clock.advanceSeconds(31 * 60);
    expectProblem(await confirm(code), 400, 'reset_code_invalid');
    expectProblem(await confirm('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 400, 'reset_code_invalid');
  });

  it('renders expiresAt in the X-nugios-timezone offset', async () => {
    const res = await confirm(await mailedCode(), { 'x-nugios-timezone': '240' });
    expect(res.statusCode).toBe(200);
    const { expiresAt } = res.json<{ expiresAt: string }>();
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+04:00$/);
    expect(Date.parse(expiresAt)).toBe(Math.floor((t.clock.now() + 1800_000) / 1000) * 1000);
    const west = await confirm(await mailedCode(), { 'x-nugios-timezone': '-330' });
    expect(west.json<{ expiresAt: string }>().expiresAt).toMatch(/-05:30$/);
  });

  it('answers 400 for bad X-nugios-timezone values without using the code', async () => {
    const code = await mailedCode();
    for (const value of ['abc', '1.5', '100000', '841', '-721', '', '60abc']) {
      const body = expectProblem(await confirm(code, { 'x-nugios-timezone': value }), 400, 'invalid_input');
      expect(body.errors?.[0]?.field).toBe('X-nugios-timezone');
    }
    expect((await confirm(code, { 'x-nugios-timezone': '840' })).json<{ expiresAt: string }>().expiresAt).toMatch(/\+14:00$/);
    expectProblem(await t.request('GET', '/healthz', { headers: { 'x-nugios-timezone': 'abc' } }), 400);
  });
});

describe('POST /v1/user/password/reset', () => {
  it('sets the new password, answers userId and revokes every refresh token', async () => {
    const sessionA = await login(t, 'alice');
    const sessionB = await login(t, 'alice');
    const token = await resetToken();
    const res = await reset(token, NEW_PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ userId });
    expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'alice', password: STRONG_PASSWORD } }), 401);
    const fresh = await login(t, 'alice', NEW_PASSWORD);
    for (const old of [sessionA, sessionB]) {
      expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: old.refresh_token } }), 401);
    }
    expect((await t.request('POST', '/v1/auth/refresh', { body: { token: fresh.refresh_token } })).json<TokenPair>().token_type).toBe('Bearer');
    expectProblem(await reset(token, 'yet another fine passphrase'), 400, 'reset_token_invalid');
  });

  it('keeps the token usable when the new password is rejected', async () => {
    const token = await resetToken();
    for (const weak of ['short', 'password', 'alice']) {
      expectFieldError(await reset(token, weak), 'password');
    }
    expect((await reset(token, STRONG_PASSWORD)).statusCode).toBe(200);
    await login(t, 'alice', STRONG_PASSWORD);
  });

  it('rejects unknown tokens, mailed codes used as tokens, expired tokens and bad bodies', async () => {
    expectFieldError(await reset('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', NEW_PASSWORD), 'token');
    expectProblem(await reset(await mailedCode(), NEW_PASSWORD), 400, 'reset_token_invalid');
    const token = await resetToken();
    t.clock.advanceSeconds(31 * 60);
    expectProblem(await reset(token, NEW_PASSWORD), 400, 'reset_token_invalid');
    expectFieldError(await t.request('POST', '/v1/user/password/reset', { body: { token: 'x' } }), 'password');
    expectFieldError(await t.request('POST', '/v1/user/password/reset', { body: { password: NEW_PASSWORD } }), 'token');
    await login(t, 'alice', STRONG_PASSWORD);
  });
});

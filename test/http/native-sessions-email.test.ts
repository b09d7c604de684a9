import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, mailsTo, newMailTo, type TokenPair } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

interface SessionView {
  id: string;
  client: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastUsedAt: string;
}

let t: TestApp;
let alice: TokenPair;
let bob: TokenPair;
beforeAll(async () => {
  t = await createTestApp();
  alice = await registerUser(t, 'alice@example.com');
  bob = await registerUser(t, 'bob', undefined, { email: 'bob@example.com' });
});
afterAll(async () => t.close());

const sessions = (token: string, headers?: Record<string, string>) => t.request('GET', '/v1/user/sessions', { token, headers });
const revoke = (token: string, id: string) => t.request('DELETE', `/v1/user/sessions/${id}`, { token });

describe('GET /v1/user/sessions and DELETE /v1/user/sessions/{id}', () => {
  it("lists the caller's own live sessions only", async () => {
    const second = await t.request('POST', '/v1/auth/login', {
      body: { username: 'alice@example.com', password: STRONG_PASSWORD },
      headers: { 'user-agent': 'tessera-test/1.0' },
    });
    expect(second.statusCode).toBe(200);
    const res = await sessions(alice.access_token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const list = res.json<SessionView[]>();
    expect(list).toHaveLength(2);
    for (const s of list) {
      expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.client).toBe('tessera-native');
      expect(s.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(list.map((s) => s.userAgent)).toContain('tessera-test/1.0');
    expect(JSON.stringify(list)).not.toContain(alice.refresh_token);
    const bobs = (await sessions(bob.access_token)).json<SessionView[]>();
    expect(bobs).toHaveLength(1);
    expect(list.map((s) => s.id)).not.toContain(bobs[0]!.id);
    const shifted = (await sessions(alice.access_token, { 'x-nugios-timezone': '-60' })).json<SessionView[]>();
    expect(shifted[0]!.createdAt).toMatch(/-01:00$/);
  });

  it("revokes one of the caller's sessions, which kills only its refresh token", async () => {
    const doomed = await t.request('POST', '/v1/auth/login', {
      body: { username: 'alice@example.com', password: STRONG_PASSWORD },
      headers: { 'user-agent': 'revoke-me/1.0' },
    });
    const doomedPair = doomed.json<TokenPair>();
    const before = (await sessions(alice.access_token)).json<SessionView[]>();
    const target = before.find((s) => s.userAgent === 'revoke-me/1.0')!;
    const res = await revoke(alice.access_token, target.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ revoked: true });
    const after = (await sessions(alice.access_token)).json<SessionView[]>();
    expect(after.map((s) => s.id)).not.toContain(target.id);
    expect(after).toHaveLength(before.length - 1);
    expectProblem(await revoke(alice.access_token, target.id), 404, 'not_found');
    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: doomedPair.refresh_token } }), 401);
    const kept = await t.request('POST', '/v1/auth/refresh', { body: { token: alice.refresh_token } });
    expect(kept.statusCode).toBe(200);
    alice = kept.json<TokenPair>();
  });

  it("answers 404 for another user's session and for unknown ids, and revokes nothing", async () => {
    const bobSession = (await sessions(bob.access_token)).json<SessionView[]>()[0]!;
    expectProblem(await revoke(alice.access_token, bobSession.id), 404, 'not_found');
    expectProblem(await revoke(alice.access_token, '00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await revoke(alice.access_token, 'x'.repeat(65)), 400, 'invalid_input');
    expect((await sessions(bob.access_token)).json<SessionView[]>().map((s) => s.id)).toContain(bobSession.id);
    expect((await t.request('POST', '/v1/auth/refresh', { body: { token: bob.refresh_token } })).statusCode).toBe(200);
  });

  it('needs a token', async () => {
    expectProblem(await t.request('GET', '/v1/user/sessions'), 401, 'credentials_required');
    expectProblem(await t.request('DELETE', '/v1/user/sessions/abc'), 401, 'credentials_required');
  });
});

describe('email verification', () => {
  it('mails a code that verifies the address once', async () => {
    const seen = await mailsTo(t, 'alice@example.com');
    const res = await t.request('POST', '/v1/user/email/verify', { token: alice.access_token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ email: 'alice@example.com' });
    const mail = await newMailTo(t, 'alice@example.com', seen);
    expect(mail.subject).toBe('Confirm your email address');
    expect(mail.text).toContain('http://tessera.test/verify-email/');
    const code = codeFromMail(mail, '/verify-email/');
    expect(code).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const verified = await t.request('GET', `/v1/user/email/verify/${code}`);
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual({ userId: decodeJwt(alice.access_token).sub, emailVerified: true });
    const profile = await t.request('GET', '/v1/user/profile', { token: alice.access_token });
    expect(profile.json<{ emailVerified: boolean }>().emailVerified).toBe(true);
    expectProblem(await t.request('GET', `/v1/user/email/verify/${code}`), 400, 'reset_code_invalid');
    // a fresh token carries the verified flag
    expect(decodeJwt((await login(t, 'alice@example.com')).access_token).email_verified).toBe(true);
  });

  it('kills the previous code when a new one is requested, and codes expire', async () => {
    const seen = await mailsTo(t, 'bob@example.com');
    await t.request('POST', '/v1/user/email/verify', { token: bob.access_token });
    const first = codeFromMail(await newMailTo(t, 'bob@example.com', seen), '/verify-email/');
    const seen2 = await mailsTo(t, 'bob@example.com');
    await t.request('POST', '/v1/user/email/verify', { token: bob.access_token });
    const second = codeFromMail(await newMailTo(t, 'bob@example.com', seen2), '/verify-email/');
    expectProblem(await t.request('GET', `/v1/user/email/verify/${first}`), 400, 'reset_code_invalid');
    // a password-reset code is not a verification code
    const seen3 = await mailsTo(t, 'bob@example.com');
    await t.request('POST', '/v1/user/password/restore', { body: { email: 'bob@example.com' } });
    const resetCode = codeFromMail(await newMailTo(t, 'bob@example.com', seen3));
    expectProblem(await t.request('GET', `/v1/user/email/verify/${resetCode}`), 400, 'reset_code_invalid');
    t.clock.advanceSeconds(31 * 60);
    expectProblem(await t.request('GET', `/v1/user/email/verify/${second}`), 400, 'reset_code_invalid');
    const profile = await t.request('GET', '/v1/user/profile', { token: (await login(t, 'bob')).access_token });
    expect(profile.json<{ emailVerified: boolean }>().emailVerified).toBe(false);
  });

  it('answers 400 for a user without an email, and 401 without a token', async () => {
    const carl = await registerUser(t, 'carl');
    const res = await t.request('POST', '/v1/user/email/verify', { token: carl.access_token });
    expect(expectProblem(res, 400, 'invalid_input').errors?.[0]?.field).toBe('email');
    expectProblem(await t.request('POST', '/v1/user/email/verify'), 401, 'credentials_required');
    expectProblem(await t.request('GET', '/v1/user/email/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 400, 'reset_code_invalid');
  });
});

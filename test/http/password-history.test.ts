/**
 * PASSWORD_HISTORY (a new password may not repeat the current one or the last N replaced ones),
 * on the change and the reset path, kept as argon2id hashes and pruned to N; and the length
 * rule: 1024 characters at most, checked before hashing, and no truncation below that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const FAST = { ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1', LOGIN_FREE_ATTEMPTS: '1000' };
const P = ['first quiet harbour', 'second amber meadow', 'third velvet canyon', 'fourth copper lantern', 'fifth silver orchard'] as const;

async function change(t: TestApp, username: string, oldPassword: string, password: string) {
  return t.request('POST', '/v1/user/password/change', { body: { username, oldPassword, password } });
}

/** Restore, mail, confirm: a reset token for the user with this address. */
async function resetToken(t: TestApp, email: string): Promise<string> {
  const seen = new Set((await t.mails()).map((m) => m.messageId));
  expect((await t.request('POST', '/v1/user/password/restore', { body: { email } })).statusCode).toBe(200);
  const mail = (await t.mails()).find((m) => !seen.has(m.messageId) && !Array.isArray(m.to) && m.to?.text === email);
  const confirm = await t.request('GET', `/v1/user/confirm/${encodeURIComponent(codeFromMail(mail!))}`);
  expect(confirm.statusCode, confirm.body).toBe(200);
  return confirm.json<{ token: string }>().token;
}

const reset = (t: TestApp, token: string, password: string) => t.request('POST', '/v1/user/password/reset', { body: { token, password } });

function expectReused(res: Awaited<ReturnType<typeof change>>, detail = 'the password was used recently') {
  const body = expectFieldError(res, 'password');
  expect(body.code).toBe('password_rejected');
  expect(body.detail).toBe(detail);
}

describe('PASSWORD_HISTORY=3', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ...FAST, PASSWORD_HISTORY: '3' });
  });
  afterAll(async () => t.close());

  it('refuses the last 3 replaced passwords on change, then forgets the oldest', async () => {
    await registerUser(t, 'hist', P[0]);
    expect((await change(t, 'hist', P[0], P[1])).statusCode).toBe(200);
    expectReused(await change(t, 'hist', P[1], P[0]));
    expectReused(await change(t, 'hist', P[1], P[1]), 'the new password must differ from the current one');
    expect((await change(t, 'hist', P[1], P[2])).statusCode).toBe(200);
    expect((await change(t, 'hist', P[2], P[3])).statusCode).toBe(200);
    // replaced so far, newest first: P2, P1, P0
    for (const old of [P[0], P[1], P[2]]) expectReused(await change(t, 'hist', P[3], old));
    expect((await change(t, 'hist', P[3], P[4])).statusCode).toBe(200);
    // P0 is now the 4th replaced password: allowed again
    expect((await change(t, 'hist', P[4], P[0])).statusCode).toBe(200);
    expect((await t.request('POST', '/v1/auth/login', { body: { username: 'hist', password: P[0] } })).statusCode).toBe(200);
  });

  it('keeps only argon2id hashes, never more than 3 per user', async () => {
    const user = (await t.app.core.store.users.findByUsernameKey('hist'))!;
    const kept = await t.app.core.store.passwordHistory.recent(user.id, 100);
    expect(kept.length).toBe(3);
    for (const hash of kept) {
      expect(hash).toMatch(/^\$argon2id\$/);
      for (const password of P) expect(hash).not.toContain(password);
    }
  });

  it('refuses recent and current passwords on reset without burning the token, and records the reset', async () => {
    await registerUser(t, 'resetter', P[0], { email: 'resetter@example.com' });
    expect((await change(t, 'resetter', P[0], P[1])).statusCode).toBe(200);
    const token = await resetToken(t, 'resetter@example.com');
    expectReused(await reset(t, token, P[0]));
    expectReused(await reset(t, token, P[1]), 'the new password must differ from the current one');
    expect((await reset(t, token, P[2])).statusCode).toBe(200); // the token survived the refusals
    const again = await resetToken(t, 'resetter@example.com');
    expectReused(await reset(t, again, P[1])); // replaced by the reset, so remembered
    expectReused(await change(t, 'resetter', P[2], P[0]));
  });
});

describe('PASSWORD_HISTORY=0 (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(FAST);
  });
  afterAll(async () => t.close());

  it('allows an earlier password again and keeps no history', async () => {
    await registerUser(t, 'nohist', P[0], { email: 'nohist@example.com' });
    expect((await change(t, 'nohist', P[0], P[1])).statusCode).toBe(200);
    expectReused(await change(t, 'nohist', P[1], P[1]), 'the new password must differ from the current one');
    expect((await change(t, 'nohist', P[1], P[0])).statusCode).toBe(200);
    expect((await reset(t, await resetToken(t, 'nohist@example.com'), P[0])).statusCode).toBe(200);
    const user = (await t.app.core.store.users.findByUsernameKey('nohist'))!;
    expect(await t.app.core.store.passwordHistory.recent(user.id, 100)).toEqual([]);
  });

  it('refuses 1025 characters on register, change and reset (checked before hashing), accepts 1024', async () => {
    const long = 'x'.repeat(1020) + 'abcde';
    expect([...long].length).toBe(1025);
    expectFieldError(await t.request('POST', '/v1/user', { body: { username: 'longpass', password: long } }), 'password');
    await registerUser(t, 'longpass', long.slice(0, 1024), { email: 'longpass@example.com' });
    expectFieldError(await change(t, 'longpass', long.slice(0, 1024), long), 'password');
    expectFieldError(await reset(t, await resetToken(t, 'longpass@example.com'), long), 'password');
    expect((await t.request('POST', '/v1/auth/login', { body: { username: 'longpass', password: long.slice(0, 1024) } })).statusCode).toBe(200);
  });

  it('does not truncate: of two 200-character passwords differing in the last one, only the right one logs in', async () => {
    const stem = 'long passphrase that goes on and on '.repeat(6).slice(0, 199);
    const [right, wrong] = [`${stem}A`, `${stem}B`];
    expect(right.length).toBe(200);
    await registerUser(t, 'truncation', right);
    const login = (password: string) => t.request('POST', '/v1/auth/login', { body: { username: 'truncation', password } });
    expect((await login(wrong)).statusCode).toBe(401);
    expect((await login(right)).statusCode).toBe(200);
  });
});

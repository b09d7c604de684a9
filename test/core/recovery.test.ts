import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/core/users/user.types.js';
import { codeFromMessage, createTestCore, GOOD_PASSWORD, TEST_ISSUER, type TestCore, NATIVE_ORIGIN } from '../support/test-core.js';

const NEW_PASSWORD = 'violet lantern harbour';
const TTL_SECONDS = 1_800;
const context = { surface: 'native' };

describe('password recovery', () => {
  let t: TestCore;
  let user: User;

  beforeEach(async () => {
    t = await createTestCore({ options: { codeTtlSeconds: TTL_SECONDS } });
    user = await t.register('uma', { email: 'uma@example.test' });
  });

  afterEach(async () => {
    await t.close();
  });

  /** Asks for a reset mail and answers the code in it. */
  async function requestCode(email = 'uma@example.test'): Promise<string> {
    const before = t.mails.length;
    await t.core.recovery.requestReset(email, context);
    await t.core.tasks.drain();
    expect(t.mails).toHaveLength(before + 1);
    return codeFromMessage(t.mails.at(-1));
  }

  it('mails a high-entropy, URL-safe code with a link under the public URL', async () => {
    const code = await requestCode('  UMA@Example.TEST ');
    expect(code).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Buffer.from(code, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(t.mails[0]).toMatchObject({ to: 'uma@example.test' });
    expect(t.mails[0]?.text).toContain(`${TEST_ISSUER}/reset/${code}`);
    expect(t.loggedErrors).toEqual([]);
  });

  it('sends nothing for an address without an account, and does not throw', async () => {
    await expect(t.core.recovery.requestReset('nobody@example.test', context)).resolves.toBeUndefined();
    await expect(t.core.recovery.requestReset('not an email', context)).resolves.toBeUndefined();
    await t.core.tasks.drain();
    expect(t.mails).toEqual([]);
  });

  it('a code dies codeTtl after it was sent', async () => {
    const early = await requestCode();
    t.clock.advanceSeconds(TTL_SECONDS);
    t.clock.advance(-1);
    await expect(t.core.recovery.confirm(early)).resolves.toMatchObject({ token: expect.any(String) });
    const late = await requestCode();
    t.clock.advanceSeconds(TTL_SECONDS);
    await expect(t.core.recovery.confirm(late)).rejects.toMatchObject({ code: 'reset_code_invalid' });
  });

  it('a code works once', async () => {
    const code = await requestCode();
    await t.core.recovery.confirm(code);
    await expect(t.core.recovery.confirm(code)).rejects.toMatchObject({ code: 'reset_code_invalid' });
  });

  it('a new code kills the old one', async () => {
    const first = await requestCode();
    const second = await requestCode();
    expect(second).not.toBe(first);
    await expect(t.core.recovery.confirm(first)).rejects.toMatchObject({ code: 'reset_code_invalid' });
    await expect(t.core.recovery.confirm(second)).resolves.toBeDefined();
  });

  it('confirm answers a reset token that lives codeTtl and is not itself a code', async () => {
    const code = await requestCode();
    const { token, expiresAt } = await t.core.recovery.confirm(code);
    expect(expiresAt).toBe(t.clock.now() + TTL_SECONDS * 1000);
    await expect(t.core.recovery.confirm(token)).rejects.toMatchObject({ code: 'reset_code_invalid' });
    await expect(t.core.recovery.reset(code, NEW_PASSWORD, context)).rejects.toMatchObject({ code: 'reset_token_invalid' });
  });

  it('reset sets the password and revokes every session of the user', async () => {
    const one = await t.core.sessions.start(user, context, NATIVE_ORIGIN);
    const two = await t.core.sessions.start(user, context, NATIVE_ORIGIN);
    const { token } = await t.core.recovery.confirm(await requestCode());
    await expect(t.core.recovery.reset(token, NEW_PASSWORD, context)).resolves.toBe(user.id);
    for (const pair of [one, two]) {
      await expect(t.core.sessions.refresh(pair.refreshToken, context)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    }
    await expect(t.core.credentials.verify('uma', NEW_PASSWORD, {})).resolves.toMatchObject({ user: { id: user.id } });
    await expect(t.core.credentials.verify('uma', GOOD_PASSWORD, {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    const types = (await t.core.audit.list({ userId: user.id, limit: 20 })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['password.reset_requested', 'password.reset']));
  });

  it('a reset token works once', async () => {
    const { token } = await t.core.recovery.confirm(await requestCode());
    await t.core.recovery.reset(token, NEW_PASSWORD, context);
    await expect(t.core.recovery.reset(token, 'yet another passphrase', context)).rejects.toMatchObject({ code: 'reset_token_invalid' });
  });

  it('a rejected password does not use up the reset token (peek, then consume)', async () => {
    const { token } = await t.core.recovery.confirm(await requestCode());
    await expect(t.core.recovery.reset(token, 'short', context)).rejects.toMatchObject({ code: 'password_rejected' });
    await expect(t.core.recovery.reset(token, 'password123', context)).rejects.toMatchObject({ code: 'password_rejected' });
    await expect(t.core.recovery.reset(token, NEW_PASSWORD, context)).resolves.toBe(user.id);
  });

  it('a reset token expires with the clock', async () => {
    const { token } = await t.core.recovery.confirm(await requestCode());
    t.clock.advanceSeconds(TTL_SECONDS);
    await expect(t.core.recovery.reset(token, NEW_PASSWORD, context)).rejects.toMatchObject({ code: 'reset_token_invalid' });
    await expect(t.core.credentials.verify('uma', GOOD_PASSWORD, {})).resolves.toBeDefined();
  });

  it('reset kills codes still outstanding', async () => {
    const { token } = await t.core.recovery.confirm(await requestCode());
    const pending = await requestCode();
    await t.core.recovery.reset(token, NEW_PASSWORD, context);
    await expect(t.core.recovery.confirm(pending)).rejects.toMatchObject({ code: 'reset_code_invalid' });
  });

  it('garbage is rejected, not thrown as a crash', async () => {
    await expect(t.core.recovery.confirm('')).rejects.toMatchObject({ code: 'reset_code_invalid' });
    await expect(t.core.recovery.reset('nope', NEW_PASSWORD, context)).rejects.toMatchObject({ code: 'reset_token_invalid' });
  });

  it('email verification: a mailed single-use code marks the address verified; a reset code cannot', async () => {
    const resetCode = await requestCode();
    await expect(t.core.emailVerification.verify(resetCode)).rejects.toMatchObject({ code: 'reset_code_invalid' });
    await expect(t.core.emailVerification.request(user, context)).resolves.toBe('uma@example.test');
    await t.core.tasks.drain();
    const code = codeFromMessage(t.mails.at(-1));
    await expect(t.core.recovery.confirm(code)).rejects.toMatchObject({ code: 'reset_code_invalid' });
    await expect(t.core.emailVerification.verify(code)).resolves.toBe(user.id);
    expect((await t.store.users.findById(user.id))?.emailVerified).toBe(true);
    await expect(t.core.emailVerification.verify(code)).rejects.toMatchObject({ code: 'reset_code_invalid' });
  });
});

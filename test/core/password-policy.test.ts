import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore, changePassword } from '../support/test-core.js';

const rejected = { name: 'AuthError', code: 'password_rejected', field: 'password' };

describe('password policy', () => {
  let t: TestCore;

  beforeAll(async () => {
    t = await createTestCore();
  });

  afterAll(async () => {
    await t.close();
  });

  it('needs at least 8 characters, counted after normalization', () => {
    expect(() => t.core.policy.check('xk3!qz9')).toThrow(expect.objectContaining(rejected));
    expect(t.core.policy.check('xk3!qz9p')).toBe('xk3!qz9p');
    // 8 combining sequences NFKC-compose into 4 characters: too short.
    expect(() => t.core.policy.check('e\u0301a\u0300o\u0308u\u0302')).toThrow(expect.objectContaining(rejected));
  });

  it('honours a configured minimum', async () => {
    const strict = await createTestCore({ options: { passwordMinLength: 12 } });
    try {
      expect(() => strict.core.policy.check('xk3!qz9p-ab')).toThrow(expect.objectContaining(rejected));
      expect(strict.core.policy.check('xk3!qz9p-abc')).toBe('xk3!qz9p-abc');
    } finally {
      await strict.close();
    }
  });

  it('allows 1024 code points and no more, even when each takes two UTF-16 units', () => {
    const astral = '😀'.repeat(1024);
    expect(astral.length).toBe(2048);
    expect(t.core.policy.check(astral)).toBe(astral);
    expect(() => t.core.policy.check(`${astral}x`)).toThrow(expect.objectContaining(rejected));
    expect(t.core.policy.check('ab'.repeat(512))).toHaveLength(1024);
    expect(() => t.core.policy.check('ab'.repeat(512) + 'c')).toThrow(expect.objectContaining(rejected));
  });

  it('normalizes to NFKC: a full-width password is the ASCII one', async () => {
    expect(t.core.policy.normalize('ｓｔａｒｌｉｇｈｔ－ｗａｌｔｚ１２３')).toBe('starlight-waltz123');
    // the full-width spelling of a common password is just as common
    expect(() => t.core.policy.check('ｐａｓｓｗｏｒｄ１２３')).toThrow(expect.objectContaining({ ...rejected, message: 'password is too common' }));
    await t.register('fullwidth', { password: 'ｓｔａｒｌｉｇｈｔ－ｗａｌｔｚ１２３' });
    const { user } = await t.core.credentials.verify('fullwidth', 'starlight-waltz123', {});
    expect(user.username).toBe('fullwidth');
  });

  it('rejects common passwords in any case', () => {
    for (const password of ['password123', 'PASSWORD123', 'Password123', 'iloveyou', 'TrustNo1', 'Sunshine']) {
      expect(() => t.core.policy.check(password), password).toThrow(expect.objectContaining({ ...rejected, message: 'password is too common' }));
    }
    expect(t.core.policy.check('plum-jetty-orbit')).toBe('plum-jetty-orbit');
  });

  it('rejects a password equal to the username, in any case and on registration', async () => {
    expect(() => t.core.policy.check('Correct-Horse-42', { username: 'correct-horse-42' })).toThrow(
      expect.objectContaining({ ...rejected, message: 'password must not equal the username' }),
    );
    expect(t.core.policy.check('Correct-Horse-42', { username: 'someone-else' })).toBe('Correct-Horse-42');
    await expect(t.core.users.register({ username: 'MarbleOtter77', password: 'marbleotter77' }, {})).rejects.toMatchObject(rejected);
    expect(await t.store.users.findByUsernameKey('marbleotter77')).toBeUndefined();
  });

  it('rejects NUL characters', () => {
    expect(() => t.core.policy.check('abc\u0000defghij')).toThrow(expect.objectContaining(rejected));
  });

  it('does not truncate: 100-character passwords that differ only at the end are different', async () => {
    const base = 'q7Lm-'.repeat(20).slice(0, 99);
    const first = `${base}A`;
    const second = `${base}B`;
    expect([...first]).toHaveLength(100);
    await t.register('long-password-user', { password: first });
    await expect(t.core.credentials.verify('long-password-user', second, {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(t.core.credentials.verify('long-password-user', first, {})).resolves.toMatchObject({ passwordExpired: false });
  });

  it('does not truncate multi-byte passwords either (past 72 UTF-8 bytes)', async () => {
    const base = 'ü'.repeat(60);
    await t.register('umlaut-user', { password: `${base}1` });
    await expect(t.core.credentials.verify('umlaut-user', `${base}2`, {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(t.core.credentials.verify('umlaut-user', `${base}1`, {})).resolves.toBeDefined();
  });

  it('checks the policy on a password change too', async () => {
    const user = await t.register('changer');
    await expect(changePassword(t, user, 'short', undefined, {})).rejects.toMatchObject(rejected);
    await expect(changePassword(t, user, 'football', undefined, {})).rejects.toMatchObject(rejected);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Argon2Hasher } from '../../src/infra/argon2-hasher.js';
import { createTestCore, FAST_ARGON2, GOOD_PASSWORD, type TestCore, changePassword, NATIVE_ORIGIN } from '../support/test-core.js';

const DAY_MS = 86_400_000;
const open: TestCore[] = [];

async function core(setup: Parameters<typeof createTestCore>[0] = {}): Promise<TestCore> {
  const t = await createTestCore(setup);
  open.push(t);
  return t;
}

afterEach(async () => {
  vi.restoreAllMocks();
  while (open.length > 0) await open.pop()!.close();
});

describe('credential checks', () => {
  it('answers invalid_credentials alike for an unknown user and a wrong password', async () => {
    const t = await core();
    const user = await t.register('ivan');
    const unknown = await t.core.credentials.verify('nobody', GOOD_PASSWORD, {}).catch((e: unknown) => e);
    t.clock.advance(1);
    const wrong = await t.core.credentials.verify('ivan', 'wrong password here', {}).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'AuthError', code: 'invalid_credentials' });
    expect(wrong).toMatchObject({ name: 'AuthError', code: 'invalid_credentials' });
    expect((unknown as Error).message).toBe((wrong as Error).message);
    const failures = await t.core.audit.list({ limit: 10 });
    expect(failures.filter((e) => e.type === 'login.failed').map((e) => [e.userId, e.detail.reason])).toEqual([
      [user.id, 'wrong_password'],
      [null, 'unknown_user'],
    ]);
  });

  it('spends one argon2 verification on an unknown or malformed username as on a known one', async () => {
    const t = await core();
    await t.register('judy');
    const verify = vi.spyOn(Argon2Hasher.prototype, 'verify');
    for (const name of ['judy', 'nobody', 'bad\u200Bname']) {
      verify.mockClear();
      await t.core.credentials.verify(name, 'not the password', {}).catch(() => undefined);
      expect(verify, name).toHaveBeenCalledTimes(1);
    }
  });

  it('a locked account is invalid_credentials with the right password as with a wrong one (the guess is not confirmed)', async () => {
    const t = await core();
    const user = await t.register('kim');
    await t.store.users.update(user.id, { locked: true });
    await expect(t.core.credentials.verify('kim', GOOD_PASSWORD, {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(t.core.credentials.verify('kim', 'wrong password here', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('stores argon2id with the configured parameters', async () => {
    const t = await core();
    const user = await t.register('leo');
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
    expect(user.passwordHash).not.toContain(GOOD_PASSWORD);
  });

  it('rehashes on login when the argon2 parameters changed', async () => {
    const before = await core({ argon2: FAST_ARGON2 });
    const user = await before.register('mia');
    const after = await core({ sharing: before, argon2: { memoryKib: 8192, timeCost: 2, parallelism: 1 } });
    await after.core.credentials.verify('mia', GOOD_PASSWORD, {});
    const stored = (await after.store.users.findById(user.id))!.passwordHash;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=8192,t=2,p=1\$/);
    expect(stored).not.toBe(user.passwordHash);
    // the new hash still proves the same password, under either configuration
    await expect(after.core.credentials.verify('mia', GOOD_PASSWORD, {})).resolves.toBeDefined();
    await expect(after.core.credentials.verify('mia', 'wrong password here', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('does not rehash when the parameters are current, nor on a failed login', async () => {
    const t = await core();
    const user = await t.register('ned');
    await t.core.credentials.verify('ned', GOOD_PASSWORD, {});
    expect((await t.store.users.findById(user.id))!.passwordHash).toBe(user.passwordHash);
    const other = await core({ sharing: t, argon2: { memoryKib: 8192, timeCost: 2, parallelism: 1 } });
    await other.core.credentials.verify('ned', 'wrong password here', {}).catch(() => undefined);
    expect((await t.store.users.findById(user.id))!.passwordHash).toBe(user.passwordHash);
  });
});

describe('password expiry', () => {
  it('never expires with passwordMaxAgeDays 0', async () => {
    const t = await core({ options: { passwordMaxAgeDays: 0 } });
    const user = await t.register('olga');
    expect(user.passwordExpiresAt).toBeNull();
    t.clock.advance(3650 * DAY_MS);
    await expect(t.core.credentials.verify('olga', GOOD_PASSWORD, {})).resolves.toMatchObject({ passwordExpired: false });
  });

  it('expires passwordMaxAgeDays after the last change', async () => {
    const t = await core({ options: { passwordMaxAgeDays: 30 } });
    const user = await t.register('pat');
    expect(user.passwordExpiresAt).toBe(user.passwordChangedAt + 30 * DAY_MS);
    expect(t.core.credentials.passwordExpiry(1_000)).toBe(1_000 + 30 * DAY_MS);
    t.clock.advance(30 * DAY_MS - 1);
    await expect(t.core.credentials.verify('pat', GOOD_PASSWORD, {})).resolves.toMatchObject({ passwordExpired: false });
    t.clock.advance(1);
    await expect(t.core.credentials.verify('pat', GOOD_PASSWORD, {})).resolves.toMatchObject({ passwordExpired: true });
  });

  it('an expired password still proves identity but only buys the restricted token', async () => {
    const t = await core({ options: { passwordMaxAgeDays: 30 } });
    const user = await t.register('quinn');
    t.clock.advance(31 * DAY_MS);
    const result = await t.core.login.sessionOrRestricted('quinn', GOOD_PASSWORD, {}, NATIVE_ORIGIN);
    expect(result.kind).toBe('password_expired');
    if (result.kind !== 'password_expired') return;
    await expect(t.core.tokens.verify(result.restricted.token)).resolves.toMatchObject({ subject: user.id, kind: 'restricted' });
    // no refresh family: the restricted token's session ends with the token
    const [session] = await t.store.sessions.listLiveSessions(user.id, 0, t.clock.now());
    expect(session?.expiresAt).toBe(Math.floor(t.clock.now() / 1000) * 1000 + 600_000);
    // a wrong password is still just wrong
    await expect(t.core.login.sessionOrRestricted('quinn', 'wrong password here', {}, NATIVE_ORIGIN)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('changing the password starts a new period and ends the restriction', async () => {
    const t = await core({ options: { passwordMaxAgeDays: 30 } });
    const user = await t.register('rita');
    t.clock.advance(31 * DAY_MS);
    await changePassword(t, user, 'a fresh new passphrase', undefined, {});
    const updated = (await t.store.users.findById(user.id))!;
    expect(updated.passwordChangedAt).toBe(t.clock.now());
    expect(updated.passwordExpiresAt).toBe(t.clock.now() + 30 * DAY_MS);
    await expect(t.core.credentials.verify('rita', 'a fresh new passphrase', {})).resolves.toMatchObject({ passwordExpired: false });
    await expect(t.core.credentials.verify('rita', GOOD_PASSWORD, {})).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('a change needs the right old password and a different new one', async () => {
    const t = await core();
    const user = await t.register('stan');
    await expect(changePassword(t, user, 'another good passphrase', 'wrong password here', {})).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await expect(changePassword(t, user, GOOD_PASSWORD, GOOD_PASSWORD, {})).rejects.toMatchObject({ code: 'password_rejected' });
  });
});

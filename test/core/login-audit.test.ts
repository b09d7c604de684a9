/**
 * `login.succeeded` is written once the tokens exist: a login whose session cannot be stored (the
 * database refused the write) is an error on the wire and no successful login in the audit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestCore, GOOD_PASSWORD, NATIVE_ORIGIN, type TestCore } from '../support/test-core.js';

const open: TestCore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (open.length > 0) await open.pop()!.close();
});

/** The database refuses the next transaction (the session and its refresh token are one). */
function refuseNextWrite(t: TestCore): void {
  vi.spyOn(t.store, 'transaction').mockRejectedValueOnce(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
}

async function successes(t: TestCore, userId: string): Promise<number> {
  return (await t.core.audit.list({ userId, limit: 100 })).filter((e) => e.type === 'login.succeeded').length;
}

describe('login.succeeded only for issued tokens', () => {
  it('a password login whose session is not stored records no success; the retry records one', async () => {
    const t = await createTestCore();
    open.push(t);
    const user = await t.register('ulla');
    for (const login of [
      () => t.core.login.session('ulla', GOOD_PASSWORD, {}, NATIVE_ORIGIN),
      () => t.core.login.sessionOnly('ulla', GOOD_PASSWORD, {}, NATIVE_ORIGIN),
      () => t.core.login.sessionOrRestricted('ulla', GOOD_PASSWORD, {}, NATIVE_ORIGIN),
    ]) {
      refuseNextWrite(t);
      await expect(login()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect(await successes(t, user.id)).toBe(0);
    }
    await t.core.login.sessionOnly('ulla', GOOD_PASSWORD, {}, NATIVE_ORIGIN);
    expect(await successes(t, user.id)).toBe(1);
  });

  it('a token exchange whose session is not stored records no success', async () => {
    const t = await createTestCore();
    open.push(t);
    const user = await t.register('vera');
    const key = await t.core.apiKeys.create(user, 'exchange', {});
    refuseNextWrite(t);
    await expect(t.core.exchange.exchange(key.token, {}, 'tessera-oauth2')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(await successes(t, user.id)).toBe(0);
    await t.core.exchange.exchange(key.token, {}, 'tessera-oauth2');
    expect(await successes(t, user.id)).toBe(1);
  });
});

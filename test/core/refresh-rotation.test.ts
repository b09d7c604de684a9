/**
 * A refresh is one transaction and one commit: the audit event and the memberships of the new
 * access token are read and written inside it, nothing on the store outside it. The event commits
 * with the rotation or not at all.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { secretHash } from '../../src/core/secrets.js';
import { createTestCore, GOOD_PASSWORD, NATIVE_ORIGIN, type TestCore } from '../support/test-core.js';

const context = { surface: 'native', ip: '203.0.113.9' };
let t: TestCore;

beforeEach(async () => {
  t = await createTestCore();
  await t.register('rotor');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

async function refreshToken(): Promise<string> {
  const result = await t.core.login.sessionOrRestricted('rotor', GOOD_PASSWORD, context, NATIVE_ORIGIN);
  if (result.kind !== 'session') throw new Error(result.kind);
  return result.tokens.refreshToken;
}

it('touches the store only through one transaction, which holds the audit event and the memberships read', async () => {
  const token = await refreshToken();
  const transaction = vi.spyOn(t.store, 'transaction');
  const auditOutside = vi.spyOn(t.store.audit, 'insert');
  const membershipsOutside = vi.spyOn(t.store.accounts, 'listMemberships');
  const pair = await t.core.sessions.refresh(token, context);
  expect(transaction).toHaveBeenCalledTimes(1);
  expect(auditOutside).not.toHaveBeenCalled();
  expect(membershipsOutside).not.toHaveBeenCalled();
  const events = await t.store.audit.list({ limit: 10 });
  expect(events.filter((e) => e.type === 'token.refreshed').map((e) => e.detail.sessionId)).toEqual([pair.sessionId]);
});

it('a rotation whose audit event cannot be stored does not happen: the token stays unused', async () => {
  const token = await refreshToken();
  const real = t.store.transaction.bind(t.store);
  vi.spyOn(t.store, 'transaction').mockImplementation((work) =>
    real((tx) => work({ ...tx, audit: { ...tx.audit, insert: () => Promise.reject(new Error('audit store down')) } })),
  );
  await expect(t.core.sessions.refresh(token, context)).rejects.toThrow('audit store down');
  vi.restoreAllMocks();
  expect((await t.store.sessions.findTokenByHash(secretHash(token)))?.usedAt).toBeNull();
  await expect(t.core.sessions.refresh(token, context)).resolves.toMatchObject({ refreshToken: expect.any(String) as string });
});

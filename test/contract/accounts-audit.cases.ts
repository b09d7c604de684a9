import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/core/accounts/account.types.js';
import { type ContractContext, insertUser, makeEvent, MINUTE, T0 } from './fixtures.js';

function makeAccount(name = 'Acme', createdAt = T0): Account {
  return { id: randomUUID(), name, createdAt };
}

/** AccountRepo (memberships with one role each) and AuditRepo (append, newest first, prune by age). */
export function accountAndAuditCases(ctx: ContractContext): void {
  describe('accounts', () => {
    it('inserts an account and finds it by id', async () => {
      const account = makeAccount('Ünïcode Ltd');
      await ctx.store.accounts.insert(account);
      expect(await ctx.store.accounts.findById(account.id)).toEqual(account);
      expect(await ctx.store.accounts.findById(randomUUID())).toBeUndefined();
    });

    it('puts a member, and putting again changes the role (upsert)', async () => {
      const user = await insertUser(ctx.store);
      const account = makeAccount();
      await ctx.store.accounts.insert(account);
      await ctx.store.accounts.putMember({ accountId: account.id, userId: user.id, role: 'viewer' });
      await ctx.store.accounts.putMember({ accountId: account.id, userId: user.id, role: 'owner' });
      expect(await ctx.store.accounts.listMemberships(user.id)).toEqual([{ accountId: account.id, userId: user.id, role: 'owner' }]);
    });

    it('lists only the user’s memberships, ordered by account id', async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const accounts = [makeAccount('a'), makeAccount('b'), makeAccount('c')];
      for (const account of accounts) await ctx.store.accounts.insert(account);
      for (const [i, account] of accounts.entries()) {
        await ctx.store.accounts.putMember({ accountId: account.id, userId: user.id, role: `role-${i}` });
      }
      await ctx.store.accounts.putMember({ accountId: accounts[0]!.id, userId: other.id, role: 'other' });
      const expected = accounts
        .map((a, i) => ({ accountId: a.id, userId: user.id, role: `role-${i}` }))
        .sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
      expect(await ctx.store.accounts.listMemberships(user.id)).toEqual(expected);
      expect(await ctx.store.accounts.listMemberships(randomUUID())).toEqual([]);
    });

    it('removes a member once', async () => {
      const user = await insertUser(ctx.store);
      const account = makeAccount();
      await ctx.store.accounts.insert(account);
      await ctx.store.accounts.putMember({ accountId: account.id, userId: user.id, role: 'member' });
      expect(await ctx.store.accounts.removeMember(account.id, user.id)).toBe(true);
      expect(await ctx.store.accounts.removeMember(account.id, user.id)).toBe(false);
      expect(await ctx.store.accounts.listMemberships(user.id)).toEqual([]);
    });

    it('refuses a membership in an account that does not exist', async () => {
      const user = await insertUser(ctx.store);
      await expect(ctx.store.accounts.putMember({ accountId: randomUUID(), userId: user.id, role: 'member' })).rejects.toThrow();
    });
  });

  describe('audit', () => {
    it('stores events and lists them newest first, with details intact', async () => {
      const first = makeEvent({ at: T0, userId: null, ip: null, requestId: null });
      const second = makeEvent({ at: T0 + MINUTE, type: 'login.failed', outcome: 'failure', detail: { reason: 'wrong_password' } });
      const third = makeEvent({ at: T0 + 2 * MINUTE, type: 'password.reset' });
      for (const event of [second, third, first]) await ctx.store.audit.insert(event);
      expect(await ctx.store.audit.list({ limit: 10 })).toEqual([third, second, first]);
    });

    it('filters by user and honours the limit', async () => {
      const user = await insertUser(ctx.store);
      const mine = [0, 1, 2, 3].map((i) => makeEvent({ at: T0 + i * MINUTE, userId: user.id }));
      const theirs = makeEvent({ at: T0 + 10 * MINUTE, userId: randomUUID() });
      const anonymous = makeEvent({ at: T0 + 11 * MINUTE, userId: null });
      for (const event of [...mine, theirs, anonymous]) await ctx.store.audit.insert(event);
      expect(await ctx.store.audit.list({ userId: user.id, limit: 10 })).toEqual([...mine].reverse());
      expect(await ctx.store.audit.list({ userId: user.id, limit: 2 })).toEqual([mine[3], mine[2]]);
      expect(await ctx.store.audit.list({ limit: 3 })).toEqual([anonymous, theirs, mine[3]]);
      expect(await ctx.store.audit.list({ userId: randomUUID(), limit: 10 })).toEqual([]);
    });

    it('deletes the events older than a cutoff, and only those, answering how many', async () => {
      const events = [0, 1, 2, 3].map((i) => makeEvent({ at: T0 + i * MINUTE }));
      for (const event of events) await ctx.store.audit.insert(event);
      expect(await ctx.store.audit.deleteOlderThan(T0 + 2 * MINUTE)).toBe(2);
      expect(await ctx.store.audit.list({ limit: 10 })).toEqual([events[3], events[2]]);
      expect(await ctx.store.audit.deleteOlderThan(T0)).toBe(0);
      expect(await ctx.store.audit.deleteOlderThan(T0 + 10 * MINUTE)).toBe(2);
      expect(await ctx.store.audit.list({ limit: 10 })).toEqual([]);
    });
  });
}

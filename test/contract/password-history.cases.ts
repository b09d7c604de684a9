import { describe, expect, it } from 'vitest';
import { type ContractContext, insertUser, MINUTE, T0 } from './fixtures.js';

/** PasswordHistoryRepo: newest first, pruned to `keep`, per user, gone with the user. */
export function passwordHistoryCases(ctx: ContractContext): void {
  describe('password history', () => {
    it('answers the newest hashes first, even when they were recorded in the same millisecond', async () => {
      const user = await insertUser(ctx.store);
      for (const hash of ['h1', 'h2', 'h3']) await ctx.store.passwordHistory.record(user.id, hash, T0, 5);
      expect(await ctx.store.passwordHistory.recent(user.id, 10)).toEqual(['h3', 'h2', 'h1']);
      expect(await ctx.store.passwordHistory.recent(user.id, 2)).toEqual(['h3', 'h2']);
      expect(await ctx.store.passwordHistory.recent(user.id, 0)).toEqual([]);
    });

    it('keeps only the newest `keep` entries, and keep 0 empties the history', async () => {
      const user = await insertUser(ctx.store);
      for (const [i, hash] of ['a', 'b', 'c', 'd'].entries()) await ctx.store.passwordHistory.record(user.id, hash, T0 + i * MINUTE, 2);
      expect(await ctx.store.passwordHistory.recent(user.id, 10)).toEqual(['d', 'c']);
      await ctx.store.passwordHistory.record(user.id, 'e', T0 + 9 * MINUTE, 0);
      expect(await ctx.store.passwordHistory.recent(user.id, 10)).toEqual([]);
      await ctx.store.passwordHistory.record(user.id, 'f', T0 + 10 * MINUTE, 3);
      expect(await ctx.store.passwordHistory.recent(user.id, 10)).toEqual(['f']);
    });

    it('keeps users apart and forgets a deleted user', async () => {
      const [alice, bob] = [await insertUser(ctx.store), await insertUser(ctx.store)];
      await ctx.store.passwordHistory.record(alice.id, 'alice-old', T0, 3);
      await ctx.store.passwordHistory.record(bob.id, 'bob-old', T0, 3);
      expect(await ctx.store.passwordHistory.recent(alice.id, 10)).toEqual(['alice-old']);
      expect(await ctx.store.users.delete(alice.id)).toBe(true);
      expect(await ctx.store.passwordHistory.recent(alice.id, 10)).toEqual([]);
      expect(await ctx.store.passwordHistory.recent(bob.id, 10)).toEqual(['bob-old']);
    });

    it('records inside a transaction, and a rolled-back one leaves nothing', async () => {
      const user = await insertUser(ctx.store);
      await expect(
        ctx.store.transaction(async (tx) => {
          await tx.passwordHistory.record(user.id, 'doomed', T0, 3);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await ctx.store.passwordHistory.recent(user.id, 10)).toEqual([]);
    });
  });
}

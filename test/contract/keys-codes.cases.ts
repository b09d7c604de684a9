import { describe, expect, it } from 'vitest';
import { GENESIS } from '../../src/core/signing-keys/signing-key.repo.js';
import { type ContractContext, insertUser, makeCode, makeKey, MINUTE, T0 } from './fixtures.js';

/** SigningKeyRepo (first-start races, the verification window) and RecoveryRepo (one-time codes). */
export function keyAndCodeCases(ctx: ContractContext): void {
  describe('signing keys', () => {
    it('a key has one successor: the first insert wins a race, the others insert nothing', async () => {
      const key = makeKey({ alg: 'RS256', publicJwk: { kty: 'RSA', n: 'abc', e: 'AQAB' } });
      const rivals = [key, makeKey({ createdAt: T0 + MINUTE }), makeKey({ createdAt: T0 + 2 * MINUTE })];
      const won = await Promise.all(rivals.map((k) => ctx.store.signingKeys.insertSuccessor(k, GENESIS)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = rivals[won.indexOf(true)]!;
      expect(await ctx.store.signingKeys.listVerifiable(T0)).toEqual([winner]);
      const next = makeKey({ createdAt: T0 + 3 * MINUTE });
      expect(await ctx.store.signingKeys.insertSuccessor(next, winner.kid)).toBe(true);
      expect(await ctx.store.signingKeys.insertSuccessor(makeKey(), winner.kid)).toBe(false);
      expect(await ctx.store.signingKeys.listVerifiable(T0)).toEqual([next, winner]);
    });

    it('lists current keys and keys retired after `since`, newest first', async () => {
      const since = T0 + 10 * MINUTE;
      const current = makeKey({ createdAt: T0 + 3 * MINUTE });
      const recent = makeKey({ createdAt: T0 + 2 * MINUTE, retiredAt: since + 1 });
      const atCutoff = makeKey({ createdAt: T0 + MINUTE, retiredAt: since });
      const old = makeKey({ createdAt: T0, retiredAt: since - MINUTE });
      for (const key of [old, recent, current, atCutoff]) await ctx.store.signingKeys.insertSuccessor(key, key.kid);
      expect(await ctx.store.signingKeys.listVerifiable(since)).toEqual([current, recent]);
      expect(await ctx.store.signingKeys.listVerifiable(T0)).toEqual([current, recent, atCutoff, old]);
    });

    it('retires every other unretired key, leaving earlier retirements alone', async () => {
      const old = makeKey({ createdAt: T0, retiredAt: T0 + MINUTE });
      const previous = makeKey({ createdAt: T0 + MINUTE });
      const next = makeKey({ createdAt: T0 + 2 * MINUTE });
      for (const key of [old, previous, next]) await ctx.store.signingKeys.insertSuccessor(key, key.kid);
      await ctx.store.signingKeys.retireAllExcept(next.kid, T0 + 5 * MINUTE);
      expect(await ctx.store.signingKeys.listVerifiable(T0)).toEqual([next, { ...previous, retiredAt: T0 + 5 * MINUTE }, old]);
    });
  });

  describe('one-time codes', () => {
    it('inserts a code and finds it by hash and purpose only', async () => {
      const user = await insertUser(ctx.store);
      const code = makeCode(user.id, { purpose: 'email_verification' });
      await ctx.store.recovery.insert(code);
      expect(await ctx.store.recovery.find(code.codeHash, 'email_verification')).toEqual(code);
      expect(await ctx.store.recovery.find(code.codeHash, 'reset_code')).toBeUndefined();
      expect(await ctx.store.recovery.find('no-such-code', 'email_verification')).toBeUndefined();
    });

    it('consumes a code once, for its purpose only', async () => {
      const user = await insertUser(ctx.store);
      const code = makeCode(user.id);
      await ctx.store.recovery.insert(code);
      expect(await ctx.store.recovery.consume(code.codeHash, 'reset_token', T0 + MINUTE)).toBeUndefined();
      expect(await ctx.store.recovery.consume(code.codeHash, 'reset_code', T0 + MINUTE)).toBe(user.id);
      expect(await ctx.store.recovery.consume(code.codeHash, 'reset_code', T0 + 2 * MINUTE)).toBeUndefined();
      expect((await ctx.store.recovery.find(code.codeHash, 'reset_code'))?.usedAt).toBe(T0 + MINUTE);
    });

    it('refuses to consume an expired code (expiry instant included)', async () => {
      const user = await insertUser(ctx.store);
      const code = makeCode(user.id, { expiresAt: T0 + MINUTE });
      await ctx.store.recovery.insert(code);
      expect(await ctx.store.recovery.consume(code.codeHash, 'reset_code', T0 + MINUTE)).toBeUndefined();
      expect(await ctx.store.recovery.consume(code.codeHash, 'reset_code', T0 + 2 * MINUTE)).toBeUndefined();
      expect((await ctx.store.recovery.find(code.codeHash, 'reset_code'))?.usedAt).toBeNull();
      expect(await ctx.store.recovery.consume(code.codeHash, 'reset_code', T0 + MINUTE - 1)).toBe(user.id);
    });

    it('invalidates the unused codes of one purpose of one user', async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const a = makeCode(user.id);
      const b = makeCode(user.id);
      const used = makeCode(user.id, { usedAt: T0 });
      const otherPurpose = makeCode(user.id, { purpose: 'email_verification' });
      const otherUser = makeCode(other.id);
      const expired = makeCode(user.id, { expiresAt: T0 + MINUTE });
      for (const c of [a, b, used, otherPurpose, otherUser, expired]) await ctx.store.recovery.insert(c);
      // It answers how many live codes it ended: a and b (not the used one, nor the expired one).
      expect(await ctx.store.recovery.invalidate(user.id, 'reset_code', T0 + MINUTE)).toBe(2);
      expect(await ctx.store.recovery.invalidate(user.id, 'reset_code', T0 + MINUTE)).toBe(0);
      expect(await ctx.store.recovery.consume(a.codeHash, 'reset_code', T0 + MINUTE)).toBeUndefined();
      expect(await ctx.store.recovery.consume(b.codeHash, 'reset_code', T0 + MINUTE)).toBeUndefined();
      expect((await ctx.store.recovery.find(a.codeHash, 'reset_code'))?.usedAt).toBe(T0 + MINUTE);
      expect((await ctx.store.recovery.find(used.codeHash, 'reset_code'))?.usedAt).toBe(T0);
      expect(await ctx.store.recovery.consume(otherPurpose.codeHash, 'email_verification', T0 + MINUTE)).toBe(user.id);
      expect(await ctx.store.recovery.consume(otherUser.codeHash, 'reset_code', T0 + MINUTE)).toBe(other.id);
    });
  });
}

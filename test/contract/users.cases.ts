import { describe, expect, it } from 'vitest';
import { type ContractContext, insertUser, makeAddress, makeUser, MINUTE, T0 } from './fixtures.js';

/** UserRepo: lookups, the unique keys as AuthErrors, partial updates, addresses. */
export function userCases(ctx: ContractContext): void {
  describe('users', () => {
    it('inserts a user and finds it by id, username key and email, unchanged', async () => {
      const user = makeUser({ roles: ['admin', 'auditor'], emailVerified: true, locked: true, passwordExpiresAt: T0 + 5 * MINUTE });
      await ctx.store.users.insert(user);
      expect(await ctx.store.users.findById(user.id)).toEqual(user);
      expect(await ctx.store.users.findByUsernameKey(user.usernameKey)).toEqual(user);
      expect(await ctx.store.users.findByEmail(user.email!)).toEqual(user);
    });

    it('answers undefined for what does not exist, and keys are exact', async () => {
      const user = await insertUser(ctx.store);
      expect(await ctx.store.users.findById('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await ctx.store.users.findByUsernameKey(`${user.usernameKey}x`)).toBeUndefined();
      expect(await ctx.store.users.findByUsernameKey(user.usernameKey.toUpperCase())).toBeUndefined();
      expect(await ctx.store.users.findByEmail('nobody@example.test')).toBeUndefined();
    });

    it('round-trips nulls and falsy flags', async () => {
      const user = makeUser({ email: null, name: null, locale: null, roles: [], termsAccepted: false });
      await ctx.store.users.insert(user);
      expect(await ctx.store.users.findById(user.id)).toEqual(user);
    });

    it('raises username_taken for a username key in use', async () => {
      const first = await insertUser(ctx.store);
      const second = makeUser({ username: first.username.toUpperCase(), usernameKey: first.usernameKey });
      await expect(ctx.store.users.insert(second)).rejects.toMatchObject({ name: 'AuthError', code: 'username_taken' });
      expect(await ctx.store.users.findById(second.id)).toBeUndefined();
    });

    it('raises email_taken for an email in use, on insert and on update', async () => {
      const first = await insertUser(ctx.store);
      const second = makeUser({ email: first.email });
      await expect(ctx.store.users.insert(second)).rejects.toMatchObject({ name: 'AuthError', code: 'email_taken' });
      const third = await insertUser(ctx.store);
      await expect(ctx.store.users.update(third.id, { email: first.email })).rejects.toMatchObject({ code: 'email_taken' });
      expect((await ctx.store.users.findById(third.id))?.email).toBe(third.email);
    });

    it('lets any number of users have no email', async () => {
      const a = await insertUser(ctx.store, { email: null });
      const b = await insertUser(ctx.store, { email: null });
      expect((await ctx.store.users.findById(a.id))?.email).toBeNull();
      expect((await ctx.store.users.findById(b.id))?.email).toBeNull();
    });

    it('updates only the fields of the patch', async () => {
      const user = await insertUser(ctx.store, { passwordExpiresAt: T0 + MINUTE });
      const other = await insertUser(ctx.store);
      await ctx.store.users.update(user.id, {
        name: 'New Name',
        roles: ['admin'],
        locked: true,
        emailVerified: true,
        passwordExpiresAt: null,
        passwordHash: 'new-hash',
        passwordChangedAt: T0 + 2 * MINUTE,
        updatedAt: T0 + 3 * MINUTE,
      });
      expect(await ctx.store.users.findById(user.id)).toEqual({
        ...user,
        name: 'New Name',
        roles: ['admin'],
        locked: true,
        emailVerified: true,
        passwordExpiresAt: null,
        passwordHash: 'new-hash',
        passwordChangedAt: T0 + 2 * MINUTE,
        updatedAt: T0 + 3 * MINUTE,
      });
      expect(await ctx.store.users.findById(other.id)).toEqual(other);
      await ctx.store.users.update(user.id, {});
      await ctx.store.users.update(user.id, { locked: false, email: null });
      const after = await ctx.store.users.findById(user.id);
      expect(after?.locked).toBe(false);
      expect(after?.email).toBeNull();
      expect(after?.name).toBe('New Name');
    });

    it('lists a user’s addresses oldest first, and only theirs', async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const late = makeAddress(user.id, { createdAt: T0 + 2 * MINUTE, type: 'work' });
      const early = makeAddress(user.id, { createdAt: T0 });
      const middle = makeAddress(user.id, { createdAt: T0 + MINUTE });
      for (const address of [late, early, middle]) await ctx.store.users.addAddress(address);
      await ctx.store.users.addAddress(makeAddress(other.id));
      expect(await ctx.store.users.listAddresses(user.id)).toEqual([early, middle, late]);
      expect(await ctx.store.users.listAddresses('00000000-0000-4000-8000-000000000000')).toEqual([]);
    });

    it('refuses an address of a user that does not exist', async () => {
      await expect(ctx.store.users.addAddress(makeAddress('00000000-0000-4000-8000-000000000000'))).rejects.toThrow();
    });
  });
}

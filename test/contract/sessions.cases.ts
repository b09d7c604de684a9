import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ContractContext, insertUser, makeSession, makeToken, MINUTE, T0 } from './fixtures.js';

/** SessionRepo: refresh-token families and the single-use step rotation relies on. */
export function sessionCases(ctx: ContractContext): void {
  describe('sessions', () => {
    it('inserts sessions and tokens and finds them again', async () => {
      const user = await insertUser(ctx.store);
      const session = makeSession(user.id, { ip: null, userAgent: null });
      const token = makeToken(session);
      await ctx.store.sessions.insertSession(session);
      await ctx.store.sessions.insertToken(token);
      expect(await ctx.store.sessions.findSession(session.id)).toEqual(session);
      expect(await ctx.store.sessions.findTokenByHash(token.tokenHash)).toEqual(token);
      expect(await ctx.store.sessions.findSession('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await ctx.store.sessions.findTokenByHash('no-such-hash')).toBeUndefined();
    });

    it("reads a refresh token with its session, its user and the user's memberships in account order, in one read", async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const accounts = [randomUUID(), randomUUID()];
      for (const id of accounts) await ctx.store.accounts.insert({ id, name: `account ${id}`, createdAt: T0 });
      for (const [i, id] of accounts.entries()) await ctx.store.accounts.putMember({ accountId: id, userId: user.id, role: `role-${i}` });
      await ctx.store.accounts.putMember({ accountId: accounts[0]!, userId: other.id, role: 'other' });
      const session = makeSession(user.id);
      const token = makeToken(session);
      const otherSession = makeSession(other.id);
      const otherToken = makeToken(otherSession);
      const lone = await insertUser(ctx.store);
      const loneSession = makeSession(lone.id);
      const loneToken = makeToken(loneSession);
      for (const s of [session, otherSession, loneSession]) await ctx.store.sessions.insertSession(s);
      for (const t of [token, otherToken, loneToken]) await ctx.store.sessions.insertToken(t);

      const expected = accounts.map((id, i) => ({ accountId: id, userId: user.id, role: `role-${i}` })).sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
      expect(await ctx.store.sessions.findRefreshState(token.tokenHash)).toEqual({ token, session, user, memberships: expected });
      expect((await ctx.store.sessions.findRefreshState(otherToken.tokenHash))?.memberships).toEqual([{ accountId: accounts[0], userId: other.id, role: 'other' }]);
      expect(await ctx.store.sessions.findRefreshState(loneToken.tokenHash)).toEqual({ token: loneToken, session: loneSession, user: lone, memberships: [] });
      expect(await ctx.store.sessions.findRefreshState('no-such-hash')).toBeUndefined();
    });

    it('refuses a second token with the same hash', async () => {
      const user = await insertUser(ctx.store);
      const session = makeSession(user.id);
      await ctx.store.sessions.insertSession(session);
      const token = makeToken(session);
      await ctx.store.sessions.insertToken(token);
      await expect(ctx.store.sessions.insertToken(makeToken(session, { tokenHash: token.tokenHash }))).rejects.toThrow();
    });

    it('marks a token used exactly once', async () => {
      const user = await insertUser(ctx.store);
      const session = makeSession(user.id);
      const token = makeToken(session);
      await ctx.store.sessions.insertSession(session);
      await ctx.store.sessions.insertToken(token);
      expect(await ctx.store.sessions.markTokenUsed(token.id, T0 + MINUTE)).toBe(true);
      expect(await ctx.store.sessions.markTokenUsed(token.id, T0 + 2 * MINUTE)).toBe(false);
      expect((await ctx.store.sessions.findTokenByHash(token.tokenHash))?.usedAt).toBe(T0 + MINUTE);
      expect(await ctx.store.sessions.markTokenUsed('00000000-0000-4000-8000-000000000000', T0)).toBe(false);
    });

    it('touches a session’s last use', async () => {
      const user = await insertUser(ctx.store);
      const session = makeSession(user.id);
      await ctx.store.sessions.insertSession(session);
      await ctx.store.sessions.touchSession(session.id, T0 + 7 * MINUTE);
      expect(await ctx.store.sessions.findSession(session.id)).toEqual({ ...session, lastUsedAt: T0 + 7 * MINUTE });
    });

    it('revokes a session once, keeping the first time and reason', async () => {
      const user = await insertUser(ctx.store);
      const session = makeSession(user.id);
      await ctx.store.sessions.insertSession(session);
      expect(await ctx.store.sessions.revokeSession(session.id, T0 + MINUTE, 'logout')).toBe(true);
      expect(await ctx.store.sessions.revokeSession(session.id, T0 + 2 * MINUTE, 'again')).toBe(false);
      expect(await ctx.store.sessions.findSession(session.id)).toEqual({ ...session, revokedAt: T0 + MINUTE, revokedReason: 'logout' });
      expect(await ctx.store.sessions.revokeSession('00000000-0000-4000-8000-000000000000', T0, 'x')).toBe(false);
    });

    it('revokes all live sessions of one user and counts them', async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const live = [makeSession(user.id), makeSession(user.id), makeSession(user.id)];
      const already = makeSession(user.id, { revokedAt: T0, revokedReason: 'logout' });
      const foreign = makeSession(other.id);
      for (const s of [...live, already, foreign]) await ctx.store.sessions.insertSession(s);
      expect(await ctx.store.sessions.revokeAllForUser(user.id, T0 + MINUTE, 'password_changed')).toBe(3);
      expect(await ctx.store.sessions.revokeAllForUser(user.id, T0 + 2 * MINUTE, 'again')).toBe(0);
      for (const s of live) {
        expect(await ctx.store.sessions.findSession(s.id)).toMatchObject({ revokedAt: T0 + MINUTE, revokedReason: 'password_changed' });
      }
      expect(await ctx.store.sessions.findSession(already.id)).toEqual(already);
      expect(await ctx.store.sessions.findSession(foreign.id)).toEqual(foreign);
    });

    it('lists live sessions: unrevoked, used at or after the cut-off, newest first', async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const cutoff = T0 + 10 * MINUTE;
      const older = makeSession(user.id, { createdAt: T0, lastUsedAt: cutoff + MINUTE });
      const newer = makeSession(user.id, { createdAt: T0 + MINUTE, lastUsedAt: cutoff });
      const stale = makeSession(user.id, { createdAt: T0 + 2 * MINUTE, lastUsedAt: cutoff - 1 });
      const revoked = makeSession(user.id, {
        createdAt: T0 + 3 * MINUTE,
        lastUsedAt: cutoff + MINUTE,
        revokedAt: T0 + 4 * MINUTE,
        revokedReason: 'user',
      });
      const foreign = makeSession(other.id, { lastUsedAt: cutoff + MINUTE });
      for (const s of [older, newer, stale, revoked, foreign]) await ctx.store.sessions.insertSession(s);
      expect(await ctx.store.sessions.listLiveSessions(user.id, cutoff, 0)).toEqual([newer, older]);
      expect(await ctx.store.sessions.listLiveSessions(user.id, cutoff + MINUTE + 1, 0)).toEqual([]);
    });
  });
}

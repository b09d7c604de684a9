/**
 * The storage conformance suite: one set of cases every Store implementation must pass. Each
 * backend's test file calls `runStoreContract` with a function that opens a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports.js';
import { accountAndAuditCases } from './accounts-audit.cases.js';
import {
  type ContractContext,
  insertUser,
  makeCode,
  makeEvent,
  makeKey,
  makeSession,
  makeToken,
  makeUser,
  MINUTE,
  type OpenedStore,
  type OpenStore,
  T0,
} from './fixtures.js';
import { keyClientIssuerCases } from './keys-clients-issuers.cases.js';
import { keyAndCodeCases } from './keys-codes.cases.js';
import { oidcCases } from './oidc.cases.js';
import { passwordHistoryCases } from './password-history.cases.js';
import { sessionCases } from './sessions.cases.js';
import { userCases } from './users.cases.js';

export type { OpenedStore, OpenStore } from './fixtures.js';

export function runStoreContract(name: string, open: OpenStore): void {
  describe(`store contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    const ctx: ContractContext = {
      get store(): Store {
        if (!opened) throw new Error('no store is open');
        return opened.store;
      },
    };

    beforeEach(async () => {
      opened = await open();
    });

    afterEach(async () => {
      const current = opened;
      opened = undefined;
      await current?.cleanup();
    });

    it('answers ping', async () => {
      await expect(ctx.store.ping()).resolves.toBeUndefined();
    });

    userCases(ctx);
    sessionCases(ctx);
    keyAndCodeCases(ctx);
    accountAndAuditCases(ctx);
    keyClientIssuerCases(ctx);
    passwordHistoryCases(ctx);
    oidcCases(ctx);
    transactionCases(ctx);
  });
}

function transactionCases(ctx: ContractContext): void {
  describe('transactions', () => {
    it('commits every write of the callback together and answers its result', async () => {
      const user = makeUser();
      const session = makeSession(user.id);
      const token = makeToken(session);
      const result = await ctx.store.transaction(async (tx) => {
        await tx.users.insert(user);
        await tx.sessions.insertSession(session);
        await tx.sessions.insertToken(token);
        expect(await tx.users.findById(user.id)).toEqual(user);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await ctx.store.users.findById(user.id)).toEqual(user);
      expect(await ctx.store.sessions.findSession(session.id)).toEqual(session);
      expect(await ctx.store.sessions.findTokenByHash(token.tokenHash)).toEqual(token);
    });

    it('rolls every write back when the callback throws, and rethrows its error', async () => {
      const existing = await insertUser(ctx.store);
      const user = makeUser();
      const session = makeSession(user.id);
      const failure = new Error('boom');
      await expect(
        ctx.store.transaction(async (tx) => {
          await tx.users.insert(user);
          await tx.sessions.insertSession(session);
          await tx.users.update(existing.id, { name: 'changed in a failed transaction' });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await ctx.store.users.findById(user.id)).toBeUndefined();
      expect(await ctx.store.sessions.findSession(session.id)).toBeUndefined();
      expect(await ctx.store.users.findById(existing.id)).toEqual(existing);
    });

    it('rolls back earlier writes when a later write violates a unique key', async () => {
      const existing = await insertUser(ctx.store);
      const fresh = makeUser();
      await expect(
        ctx.store.transaction(async (tx) => {
          await tx.users.insert(fresh);
          await tx.users.insert(makeUser({ usernameKey: existing.usernameKey }));
        }),
      ).rejects.toMatchObject({ code: 'username_taken' });
      expect(await ctx.store.users.findById(fresh.id)).toBeUndefined();
    });

    it('gives BIGINT times back as exact numbers, never strings', async () => {
      const far = T0 + 123_456_789;
      const user = await insertUser(ctx.store, { createdAt: far, updatedAt: far + 1, passwordChangedAt: far + 2, passwordExpiresAt: far + 3 });
      const session = makeSession(user.id, { createdAt: far, lastUsedAt: far + 1, revokedAt: far + 2, revokedReason: 'x' });
      const token = makeToken(session, { createdAt: far, expiresAt: far + 1, usedAt: far + 2 });
      const code = makeCode(user.id, { createdAt: far, expiresAt: far + 1, usedAt: far + 2 });
      const key = makeKey({ createdAt: far, retiredAt: far + 1 });
      const event = makeEvent({ at: far });
      await ctx.store.sessions.insertSession(session);
      await ctx.store.sessions.insertToken(token);
      await ctx.store.recovery.insert(code);
      await ctx.store.signingKeys.insertSuccessor(key, key.kid);
      await ctx.store.audit.insert(event);
      await ctx.store.accounts.insert({ id: session.id, name: 'acme', createdAt: far });
      const times = [
        ...Object.values(pick(await ctx.store.users.findById(user.id), 'createdAt', 'updatedAt', 'passwordChangedAt', 'passwordExpiresAt')),
        ...Object.values(pick(await ctx.store.sessions.findSession(session.id), 'createdAt', 'lastUsedAt', 'revokedAt')),
        ...Object.values(pick(await ctx.store.sessions.findTokenByHash(token.tokenHash), 'createdAt', 'expiresAt', 'usedAt')),
        ...Object.values(pick(await ctx.store.recovery.find(code.codeHash, 'reset_code'), 'createdAt', 'expiresAt', 'usedAt')),
        ...Object.values(pick((await ctx.store.signingKeys.listVerifiable(T0))[0], 'createdAt', 'retiredAt')),
        (await ctx.store.audit.list({ limit: 1 }))[0]?.at,
        (await ctx.store.accounts.findById(session.id))?.createdAt,
      ];
      expect(times.map((t) => typeof t)).toEqual(times.map(() => 'number'));
      const [a, b, c, d] = [far, far + 1, far + 2, far + 3];
      expect(times).toEqual([a, b, c, d, a, b, c, a, b, c, a, b, c, a, b, a, a]);
    });

    it('lets exactly one of 8 concurrent transactions mark a token used', async () => {
      const user = await insertUser(ctx.store);
      const session = makeSession(user.id);
      const token = makeToken(session);
      await ctx.store.sessions.insertSession(session);
      await ctx.store.sessions.insertToken(token);
      const attempts = Array.from({ length: 8 }, (_, i) =>
        ctx.store.transaction(async (tx) => {
          const found = await tx.sessions.findTokenByHash(token.tokenHash);
          if (!found) throw new Error('token vanished');
          const won = await tx.sessions.markTokenUsed(found.id, T0 + i + 1);
          if (won) await tx.sessions.touchSession(session.id, T0 + MINUTE);
          return won;
        }),
      );
      const results = await Promise.all(attempts);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await ctx.store.sessions.findTokenByHash(token.tokenHash))?.usedAt).toBe(T0 + results.indexOf(true) + 1);
    });
  });
}

function pick<T extends object, K extends keyof T>(value: T | undefined, ...keys: K[]): Pick<T, K> {
  if (!value) throw new Error('row not found');
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

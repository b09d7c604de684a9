import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthorizationCodeRecord } from '../../src/core/oidc/oidc.types.js';
import { type ContractContext, insertUser, makeSession, MINUTE, T0 } from './fixtures.js';
import { makeClient } from './keys-clients-issuers.cases.js';

function makeCode(clientId: string, userId: string, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: `code-${randomUUID()}`,
    clientId,
    userId,
    redirectUri: 'http://127.0.0.1:4000/cb',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    authTime: T0 - MINUTE,
    amr: ['pwd'],
    browserSessionId: randomUUID(),
    createdAt: T0,
    expiresAt: T0 + MINUTE,
    usedAt: null,
    issuedSessionId: null,
    reusedAt: null,
    ...overrides,
  };
}

async function clientAndUser(ctx: ContractContext) {
  const client = makeClient({ grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/cb'], scopes: ['openid'] });
  await ctx.store.clients.insert(client);
  return { client, user: await insertUser(ctx.store) };
}

/** AuthorizationCodeRepo, ConsentRepo and OidcGrantRepo: the OpenID Connect code flow's rows. */
export function oidcCases(ctx: ContractContext): void {
  describe('authorization codes', () => {
    it('inserts and finds by hash, with every field as given', async () => {
      const { client, user } = await clientAndUser(ctx);
      const code = makeCode(client.id, user.id, { nonce: null, browserSessionId: null });
      await ctx.store.authorizationCodes.insert(code);
      expect(await ctx.store.authorizationCodes.find(code.codeHash)).toEqual(code);
      expect(await ctx.store.authorizationCodes.find('no-such-code')).toBeUndefined();
    });

    it('lets exactly one of 8 concurrent redemptions win, and a reuse learns the session the winner started', async () => {
      const { client, user } = await clientAndUser(ctx);
      const code = makeCode(client.id, user.id);
      await ctx.store.authorizationCodes.insert(code);
      const sessions = Array.from({ length: 8 }, () => randomUUID());
      const results = await Promise.all(sessions.map((id, i) => ctx.store.transaction((tx) => tx.authorizationCodes.redeem(code.codeHash, T0 + i + 1, id))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = sessions[results.indexOf(true)]!;
      const stored = await ctx.store.authorizationCodes.find(code.codeHash);
      expect(stored).toMatchObject({ usedAt: T0 + results.indexOf(true) + 1, issuedSessionId: winner, reusedAt: null });
      expect(await ctx.store.authorizationCodes.markReused(code.codeHash, T0 + MINUTE)).toBe(winner);
      expect((await ctx.store.authorizationCodes.find(code.codeHash))?.reusedAt).toBe(T0 + MINUTE);
      expect(await ctx.store.authorizationCodes.redeem(code.codeHash, T0 + 2 * MINUTE, randomUUID())).toBe(false);
    });

    it('forgets only the codes that expired before the given time', async () => {
      const { client, user } = await clientAndUser(ctx);
      const old = makeCode(client.id, user.id, { expiresAt: T0 });
      const fresh = makeCode(client.id, user.id, { expiresAt: T0 + 10 * MINUTE });
      await ctx.store.authorizationCodes.insert(old);
      await ctx.store.authorizationCodes.insert(fresh);
      expect(await ctx.store.authorizationCodes.deleteExpired(T0 + MINUTE)).toBe(1);
      expect(await ctx.store.authorizationCodes.find(old.codeHash)).toBeUndefined();
      expect(await ctx.store.authorizationCodes.find(fresh.codeHash)).toEqual(fresh);
    });
  });

  describe('consents', () => {
    it('saves one consent per user and client, replaces it, lists and deletes once', async () => {
      const { client, user } = await clientAndUser(ctx);
      const other = makeClient();
      await ctx.store.clients.insert(other);
      const first = { userId: user.id, clientId: client.id, scopes: ['openid'], createdAt: T0, updatedAt: T0 };
      await ctx.store.consents.save(first);
      await ctx.store.consents.save({ userId: user.id, clientId: other.id, scopes: ['openid', 'email'], createdAt: T0 + MINUTE, updatedAt: T0 + MINUTE });
      expect(await ctx.store.consents.find(user.id, client.id)).toEqual(first);
      await ctx.store.consents.save({ ...first, scopes: ['openid', 'profile'], updatedAt: T0 + 2 * MINUTE });
      expect(await ctx.store.consents.find(user.id, client.id)).toEqual({ ...first, scopes: ['openid', 'profile'], updatedAt: T0 + 2 * MINUTE });
      expect((await ctx.store.consents.listByUser(user.id)).map((c) => c.clientId)).toEqual([client.id, other.id]);
      expect(await ctx.store.consents.delete(user.id, client.id)).toBe(true);
      expect(await ctx.store.consents.delete(user.id, client.id)).toBe(false);
      expect(await ctx.store.consents.find(user.id, client.id)).toBeUndefined();
    });

    it('goes with its client', async () => {
      const { client, user } = await clientAndUser(ctx);
      await ctx.store.consents.save({ userId: user.id, clientId: client.id, scopes: ['openid'], createdAt: T0, updatedAt: T0 });
      await ctx.store.clients.delete(client.id);
      expect(await ctx.store.consents.listByUser(user.id)).toEqual([]);
    });
  });

  describe('oidc grants', () => {
    it('keeps the scopes and sign-in behind a session', async () => {
      const { client, user } = await clientAndUser(ctx);
      const session = makeSession(user.id, { client: client.id });
      await ctx.store.sessions.insertSession(session);
      const grant = { sessionId: session.id, clientId: client.id, userId: user.id, scopes: ['openid', 'profile'], authTime: T0 - MINUTE, amr: ['pwd'], browserSessionId: null, createdAt: T0 };
      await ctx.store.oidcGrants.insert(grant);
      expect(await ctx.store.oidcGrants.find(session.id)).toEqual(grant);
      expect(await ctx.store.oidcGrants.find(randomUUID())).toBeUndefined();
    });
  });
}

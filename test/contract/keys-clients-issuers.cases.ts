import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../src/core/api-keys/api-key.types.js';
import type { OAuthClient } from '../../src/core/clients/client.types.js';
import type { TrustedIssuer } from '../../src/core/issuers/issuer.types.js';
import { type ContractContext, insertUser, MINUTE, T0 } from './fixtures.js';

function makeApiKey(userId: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const id = randomUUID();
  return {
    id,
    userId,
    name: 'ci',
    keyHash: `key-${id}`,
    prefix: 'tsk_abcd',
    lastFour: 'wxyz',
    encryptedKey: null,
    createdAt: T0,
    lastUsedAt: null,
    ...overrides,
  };
}

export function makeClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  const id = randomUUID();
  return {
    id,
    name: 'billing',
    secretHash: `secret-${id}`,
    grantTypes: ['client_credentials'],
    roles: ['svc'],
    redirectUris: [],
    postLogoutRedirectUris: [],
    tokenEndpointAuthMethod: 'client_secret_basic',
    scopes: [],
    consentRequired: true,
    createdAt: T0,
    ...overrides,
  };
}

function makeIssuer(overrides: Partial<TrustedIssuer> = {}): TrustedIssuer {
  return {
    id: randomUUID(),
    issuer: `https://idp-${randomUUID()}.example`,
    audience: 'tessera',
    requireJti: false,
    jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'k1' }] },
    publicKeyPem: null,
    algorithms: ['EdDSA'],
    createdAt: T0,
    ...overrides,
  };
}

/** ApiKeyRepo, ClientRepo and IssuerRepo: the credentials other than passwords. */
export function keyClientIssuerCases(ctx: ContractContext): void {
  describe('api keys', () => {
    it('inserts, finds by hash, lists a user’s keys oldest first, touches', async () => {
      const user = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const late = makeApiKey(user.id, { createdAt: T0 + MINUTE, encryptedKey: 'cipher-text' });
      const early = makeApiKey(user.id);
      for (const key of [late, early, makeApiKey(other.id)]) await ctx.store.apiKeys.insert(key);
      expect(await ctx.store.apiKeys.findByHash(late.keyHash)).toEqual(late);
      expect(await ctx.store.apiKeys.findByHash('no-such-key')).toBeUndefined();
      expect(await ctx.store.apiKeys.listByUser(user.id)).toEqual([early, late]);
      await ctx.store.apiKeys.touch(early.id, T0 + 5 * MINUTE);
      expect(await ctx.store.apiKeys.findByHash(early.keyHash)).toEqual({ ...early, lastUsedAt: T0 + 5 * MINUTE });
      await expect(ctx.store.apiKeys.insert(makeApiKey(user.id, { keyHash: early.keyHash }))).rejects.toThrow();
    });

    it("finds a key with its owner and the owner's memberships in account order, in one read", async () => {
      const owner = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const accounts = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of accounts) await ctx.store.accounts.insert({ id, name: `account ${id}`, createdAt: T0 });
      for (const [i, id] of accounts.entries()) await ctx.store.accounts.putMember({ accountId: id, userId: owner.id, role: `role-${i}` });
      await ctx.store.accounts.putMember({ accountId: accounts[0]!, userId: other.id, role: 'other' });
      const key = makeApiKey(owner.id);
      const bare = makeApiKey(other.id);
      const lone = await insertUser(ctx.store);
      const lonely = makeApiKey(lone.id);
      for (const k of [key, bare, lonely]) await ctx.store.apiKeys.insert(k);

      const found = await ctx.store.apiKeys.findByHashWithOwner(key.keyHash);
      expect(found?.key).toEqual(key);
      expect(found?.owner).toEqual(owner);
      const expected = accounts.map((id, i) => ({ accountId: id, userId: owner.id, role: `role-${i}` })).sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
      expect(found?.memberships).toEqual(expected);
      expect((await ctx.store.apiKeys.findByHashWithOwner(bare.keyHash))?.memberships).toEqual([{ accountId: accounts[0], userId: other.id, role: 'other' }]);
      expect(await ctx.store.apiKeys.findByHashWithOwner(lonely.keyHash)).toEqual({ key: lonely, owner: lone, memberships: [] });
      expect(await ctx.store.apiKeys.findByHashWithOwner('no-such-key')).toBeUndefined();
    });

    it('deletes a key only for its owner, once', async () => {
      const owner = await insertUser(ctx.store);
      const other = await insertUser(ctx.store);
      const key = makeApiKey(owner.id);
      await ctx.store.apiKeys.insert(key);
      expect(await ctx.store.apiKeys.deleteForUser(key.keyHash, other.id)).toBeUndefined();
      expect(await ctx.store.apiKeys.findByHash(key.keyHash)).toEqual(key);
      expect(await ctx.store.apiKeys.deleteForUser(key.keyHash, owner.id)).toBe(key.id);
      expect(await ctx.store.apiKeys.deleteForUser(key.keyHash, owner.id)).toBeUndefined();
      expect(await ctx.store.apiKeys.listByUser(owner.id)).toEqual([]);
    });
  });

  describe('oauth clients', () => {
    it('inserts, finds, lists oldest first and deletes once', async () => {
      const second = makeClient({ createdAt: T0 + MINUTE, grantTypes: ['client_credentials', 'refresh_token'], roles: [] });
      const first = makeClient();
      await ctx.store.clients.insert(second);
      await ctx.store.clients.insert(first);
      expect(await ctx.store.clients.findById(second.id)).toEqual(second);
      expect(await ctx.store.clients.findById(randomUUID())).toBeUndefined();
      expect(await ctx.store.clients.list()).toEqual([first, second]);
      expect(await ctx.store.clients.delete(first.id)).toBe(true);
      expect(await ctx.store.clients.delete(first.id)).toBe(false);
      expect(await ctx.store.clients.list()).toEqual([second]);
    });

    it('keeps a public browser client: no secret, its redirect URIs, auth method, scopes and consent setting', async () => {
      const app = makeClient({
        secretHash: null,
        grantTypes: ['authorization_code', 'refresh_token'],
        roles: [],
        redirectUris: ['http://127.0.0.1/cb', 'com.example.app:/cb'],
        postLogoutRedirectUris: ['https://app.example/bye'],
        tokenEndpointAuthMethod: 'none',
        scopes: ['openid', 'email', 'offline_access'],
        consentRequired: false,
      });
      await ctx.store.clients.insert(app);
      expect(await ctx.store.clients.findById(app.id)).toEqual(app);
    });
  });

  describe('trusted issuers', () => {
    it('inserts, finds by issuer, lists and deletes; a second registration is invalid_input', async () => {
      const withJwks = makeIssuer();
      const pem = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
      const withPem = makeIssuer({ jwks: null, publicKeyPem: pem, audience: null, createdAt: T0 + MINUTE });
      await ctx.store.issuers.insert(withJwks);
      await ctx.store.issuers.insert(withPem);
      expect(await ctx.store.issuers.findByIssuer(withJwks.issuer)).toEqual(withJwks);
      expect(await ctx.store.issuers.findByIssuer('https://unknown.example')).toBeUndefined();
      expect(await ctx.store.issuers.list()).toEqual([withJwks, withPem]);
      await expect(ctx.store.issuers.insert(makeIssuer({ issuer: withJwks.issuer }))).rejects.toMatchObject({
        code: 'invalid_input',
        field: 'issuer',
      });
      expect(await ctx.store.issuers.delete(withPem.id)).toBe(true);
      expect(await ctx.store.issuers.delete(withPem.id)).toBe(false);
    });

    it('updates the audience and requireJti of an issuer registered without an audience', async () => {
      const legacy = makeIssuer({ audience: null });
      await ctx.store.issuers.insert(legacy);
      expect(await ctx.store.issuers.findByIssuer(legacy.issuer)).toEqual(legacy);
      expect(await ctx.store.issuers.update(legacy.id, { audience: 'tessera-api' })).toEqual({ ...legacy, audience: 'tessera-api' });
      const strict = { ...legacy, audience: 'tessera-api', requireJti: true };
      expect(await ctx.store.issuers.update(legacy.id, { requireJti: true })).toEqual(strict);
      expect(await ctx.store.issuers.findByIssuer(legacy.issuer)).toEqual(strict);
      expect(await ctx.store.issuers.update(randomUUID(), { requireJti: true })).toBeUndefined();
    });

    it('keeps subjects that differ only in case apart', async () => {
      const issuer = makeIssuer();
      await ctx.store.issuers.insert(issuer);
      const [bob, lowerBob] = [await insertUser(ctx.store), await insertUser(ctx.store)];
      expect(await ctx.store.issuers.insertIdentity({ issuerId: issuer.id, subject: 'Bob', userId: bob.id, createdAt: T0 })).toBe(true);
      expect(await ctx.store.issuers.insertIdentity({ issuerId: issuer.id, subject: 'bob', userId: lowerBob.id, createdAt: T0 })).toBe(true);
      expect((await ctx.store.issuers.findIdentity(issuer.id, 'Bob'))?.userId).toBe(bob.id);
      expect((await ctx.store.issuers.findIdentity(issuer.id, 'bob'))?.userId).toBe(lowerBob.id);
    });

    it('links an external identity once; the first link wins', async () => {
      const issuer = makeIssuer();
      await ctx.store.issuers.insert(issuer);
      const first = await insertUser(ctx.store);
      const second = await insertUser(ctx.store);
      const identity = { issuerId: issuer.id, subject: 'ext-42', userId: first.id, createdAt: T0 };
      expect(await ctx.store.issuers.insertIdentity(identity)).toBe(true);
      expect(await ctx.store.issuers.insertIdentity({ ...identity, userId: second.id })).toBe(false);
      expect(await ctx.store.issuers.findIdentity(issuer.id, 'ext-42')).toEqual(identity);
      expect(await ctx.store.issuers.findIdentity(issuer.id, 'ext-43')).toBeUndefined();
    });

    it('remembers a token id until it expires: a replay is refused, expired ids are forgotten', async () => {
      const issuer = makeIssuer();
      await ctx.store.issuers.insert(issuer);
      expect(await ctx.store.issuers.rememberJti(issuer.id, 'jti-1', T0 + MINUTE, T0)).toBe(true);
      expect(await ctx.store.issuers.rememberJti(issuer.id, 'jti-1', T0 + MINUTE, T0 + 1)).toBe(false);
      expect(await ctx.store.issuers.rememberJti(randomUUID(), 'jti-1', T0 + MINUTE, T0 + 1)).toBe(true);
      expect(await ctx.store.issuers.rememberJti(issuer.id, 'jti-1', T0 + 3 * MINUTE, T0 + 2 * MINUTE)).toBe(true);
    });
  });
}

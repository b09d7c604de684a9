/**
 * The verified-token cache: a token presented again skips the signature check, yet every
 * revocation still ends it at once on every instance (two cores on one store, each with its own
 * cache), because only the signature's verdict is cached, never the session, user or key state.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VerifiedToken } from '../../src/core/tokens/token.types.js';
import { VerifiedTokenCache } from '../../src/core/tokens/verified-token-cache.js';
import type { User } from '../../src/core/users/user.types.js';
import { accessTokenFor, createTestCore, NATIVE_ORIGIN, type TestCore } from '../support/test-core.js';

const verdict = (expiresAt: number): VerifiedToken => ({
  kind: 'access',
  subject: 'u',
  clientSubject: false,
  clientId: 'c',
  sessionId: 's',
  roles: [],
  accounts: [],
  viaApiKey: false,
  tokenId: 'j',
  expiresAt,
  keyId: 'k',
});

describe('VerifiedTokenCache', () => {
  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(3);
    for (const token of ['a', 'b', 'c']) cache.set(token, verdict(1_000), 'k');
    expect(cache.get('a', 0)).toBeDefined(); // a is now the most recently used
    cache.set('d', verdict(1_000), 'k');
    expect(cache.size).toBe(3);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(['a', 'c', 'd'].map((t) => cache.get(t, 0) !== undefined)).toEqual([true, true, true]);
    for (let i = 0; i < 100; i += 1) cache.set(`t${i}`, verdict(1_000), 'k');
    expect(cache.size).toBe(3);
  });

  it('an entry ends with its token: at exp it misses and is dropped', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('a', verdict(1_000), 'k');
    expect(cache.get('a', 999)).toBeDefined();
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is keyed by the whole token: a token that differs in one byte misses', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('header.payload.signature', verdict(1_000), 'k');
    expect(cache.get('header.payload.signaturf', 0)).toBeUndefined();
    expect(cache.get('header.payload.signatur', 0)).toBeUndefined();
  });
});

describe('the authenticator with the cache, on two instances', () => {
  let a: TestCore;
  let b: TestCore;
  let start: number;

  beforeAll(async () => {
    a = await createTestCore();
    b = await createTestCore({ sharing: a });
    start = a.clock.now();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    a.clock.advance(start - a.clock.now());
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  /** A token both instances have verified once (so each holds it in its cache). */
  async function warmToken(user: User, ttlSeconds?: number): Promise<string> {
    const { token } = await accessTokenFor(a, user, ttlSeconds);
    await expect(a.core.authenticate(token)).resolves.toMatchObject({ userId: user.id });
    await expect(b.core.authenticate(token)).resolves.toMatchObject({ userId: user.id });
    return token;
  }

  it('a repeat verification skips the signature check (no key lookup)', async () => {
    const user = await a.register('cache-hit');
    const token = await warmToken(user);
    const keys = b.core.keys;
    const lookup = vi.spyOn(keys, 'verificationKey');
    await expect(b.core.authenticate(token)).resolves.toMatchObject({ userId: user.id });
    expect(lookup).not.toHaveBeenCalled();
    // A token it has not seen is verified afresh.
    const { token: other } = await accessTokenFor(a, user);
    await b.core.authenticate(other);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('a session revoked on one instance ends the cached token on both at once', async () => {
    const user = await a.register('cache-revoke');
    const token = await warmToken(user);
    const sid = (await a.core.authenticate(token)) as { sessionId: string };
    await a.core.sessions.revokeSession(user.id, sid.sessionId, {});
    await expect(a.core.authenticate(token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(b.core.authenticate(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('a user locked (even without revoking sessions) or deleted: the cached token is refused on both', async () => {
    const locked = await a.register('cache-lock');
    const token = await warmToken(locked);
    await a.store.users.update(locked.id, { locked: true, updatedAt: a.clock.now() });
    await expect(a.core.authenticate(token)).rejects.toMatchObject({ code: 'account_locked' });
    await expect(b.core.authenticate(token)).rejects.toMatchObject({ code: 'account_locked' });

    const deleted = await a.register('cache-delete');
    const gone = await warmToken(deleted);
    await a.core.userAdmin.delete(deleted.id, {});
    await expect(b.core.authenticate(gone)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('the API key that bought the session deleted on one instance: its cached token dies on both', async () => {
    const user = await a.register('cache-key');
    const key = await a.core.apiKeys.create(user, 'k', {});
    const pair = await a.core.exchange.exchange(key.token, {}, NATIVE_ORIGIN.clientId);
    await a.core.authenticate(pair.access.token);
    await b.core.authenticate(pair.access.token);
    await a.core.apiKeys.delete(user.id, key.token, {});
    await expect(a.core.authenticate(pair.access.token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(b.core.authenticate(pair.access.token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('a cached token stops at its expiry (plus the clock tolerance) like any other', async () => {
    const user = await a.register('cache-expiry');
    const token = await warmToken(user, 60);
    a.clock.advanceSeconds(60 + 31);
    await expect(b.core.authenticate(token)).rejects.toMatchObject({ code: 'invalid_token', message: 'the access token has expired' });
  });
});

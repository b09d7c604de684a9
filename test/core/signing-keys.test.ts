import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningKeyRepo } from '../../src/core/signing-keys/signing-key.repo.js';
import { SigningKeyService, type SigningKeyOptions } from '../../src/core/signing-keys/signing-key.service.js';
import type { SigningAlgorithm } from '../../src/core/signing-keys/signing-key.types.js';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { tempDir } from '../support/temp-dir.js';
import { TestClock } from '../support/test-clock.js';
import { createTestCore, type TestCore, type TestCoreSetup, accessTokenFor } from '../support/test-core.js';

const open: TestCore[] = [];

async function core(setup: TestCoreSetup = {}): Promise<TestCore> {
  const t = await createTestCore(setup);
  open.push(t);
  return t;
}

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** RFC 7638, computed by hand: the required members in lexicographic order, no whitespace, SHA-256. */
function thumbprint(jwk: Record<string, unknown>): string {
  const required: Record<string, string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };
  const members = required[String(jwk.kty)];
  if (!members) throw new Error(`unexpected kty ${String(jwk.kty)}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

describe('signing keys', () => {
  it('are persisted: a second service on the same store signs with the same kid', async () => {
    const first = await core();
    const second = await core({ sharing: first });
    const { kid } = await first.core.keys.current();
    expect((await second.core.keys.current()).kid).toBe(kid);
    expect(await first.store.signingKeys.listVerifiable(0)).toHaveLength(1);
    const user = await first.register('wendy');
    const { token } = await accessTokenFor(first, user);
    await expect(second.core.tokens.verify(token)).resolves.toMatchObject({ subject: user.id });
    expect(await second.core.keys.jwks()).toEqual(await first.core.keys.jwks());
  });

  it.each<SigningAlgorithm>(['RS256', 'ES256', 'EdDSA'])('%s: kid is the RFC 7638 thumbprint and jwks holds only public parts', async (alg) => {
    const t = await core({ options: { signingAlgorithm: alg } });
    const { kid } = await t.core.keys.current();
    const { keys } = await t.core.keys.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid, alg, use: 'sig' });
    expect(thumbprint(keys[0]!)).toBe(kid);
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(secret);
    const user = await t.register('xena');
    const { token } = await accessTokenFor(t, user);
    expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'at+jwt', kid });
    await expect(t.core.tokens.verify(token)).resolves.toMatchObject({ subject: user.id });
  });

  it('publishes the current key as PEM', async () => {
    const t = await core();
    expect(await t.core.keys.publicKeyPem()).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
  });

  it('rotation keeps the old key verifying and in jwks until the longest token lifetime plus the clock skew has passed', async () => {
    const t = await core();
    const user = await t.register('yuri');
    const oldKid = (await t.core.keys.current()).kid;
    const longToken = await accessTokenFor(t, user, 86_400);
    const newKid = await t.core.keys.rotate();
    expect(newKid).not.toBe(oldKid);
    expect((await t.core.keys.current()).kid).toBe(newKid);
    expect((await t.core.keys.jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    const fresh = await accessTokenFor(t, user);
    expect(decodeProtectedHeader(fresh.token).kid).toBe(newKid);
    await expect(t.core.tokens.verify(longToken.token)).resolves.toMatchObject({ subject: user.id });

    // 24 h (the longest lifetime) later, within the allowed clock skew: the token is still live,
    // so its key must still be published and verifying
    t.clock.advanceSeconds(86_400 + 29);
    expect((await t.core.keys.jwks()).keys.map((k) => k.kid)).toContain(oldKid);
    await expect(t.core.tokens.verify(longToken.token)).resolves.toBeDefined();

    // well past expiry (and the key-set reload interval): gone
    t.clock.advanceSeconds(120);
    expect((await t.core.keys.jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(t.core.tokens.verify(longToken.token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('another instance picks up a rotation within the reload interval', async () => {
    const first = await core();
    const second = await core({ sharing: first });
    const oldKid = (await second.core.keys.current()).kid;
    const newKid = await first.core.keys.rotate();
    expect((await second.core.keys.current()).kid).toBe(oldKid);
    first.clock.advanceSeconds(61);
    expect((await second.core.keys.current()).kid).toBe(newKid);
    expect((await second.core.keys.jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
  });

  it('a key another instance made a moment ago verifies at once: an unknown kid reloads before it is refused', async () => {
    const first = await core();
    const second = await core({ sharing: first });
    await second.core.keys.current();
    await first.core.keys.rotate();
    const user = await first.register('yusuf');
    const { token } = await accessTokenFor(first, user);
    // No clock movement: the second instance's key set is fresh, yet the kid is new to it.
    await expect(second.core.tokens.verify(token)).resolves.toMatchObject({ subject: user.id });
  });
});

/** Several SigningKeyService instances on one real store: what instances starting or rotating at once do. */
describe('signing keys across instances', () => {
  const OPTIONS: SigningKeyOptions = { algorithm: 'EdDSA', maxTokenLifetimeMs: 3_600_000, reloadIntervalMs: 60_000, rotationIntervalMs: 0 };

  /** The store's repo, counting how often the key table is read. */
  function countingRepo(repo: SigningKeyRepo): SigningKeyRepo & { reads: number } {
    const counted = {
      reads: 0,
      insertSuccessor: repo.insertSuccessor.bind(repo),
      retireAllExcept: repo.retireAllExcept.bind(repo),
      listVerifiable: (since: number) => {
        counted.reads += 1;
        return repo.listVerifiable(since);
      },
    };
    return counted;
  }

  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (opened.length > 0) await opened.pop()!.close();
  });

  /** `count` services on one new, empty SQLite database (no key yet), on one hand-moved clock. */
  async function instances(count: number, options: Partial<SigningKeyOptions> = {}) {
    const dir = tempDir();
    const { db } = await openDatabase({ kind: 'sqlite', file: `${dir.path}/keys.db` });
    const store = createKyselyStore(db);
    opened.push({ close: async () => (await store.close(), dir.remove()) });
    const clock = new TestClock();
    const services = Array.from({ length: count }, () => new SigningKeyService(store.signingKeys, clock, { ...OPTIONS, ...options }));
    return { clock, services, live: async () => (await store.signingKeys.listVerifiable(clock.now())).filter((k) => k.retiredAt === null) };
  }

  it('four instances starting at once with no live key make exactly one, and all sign with it', async () => {
    const { services, live } = await instances(4);
    await Promise.all(services.map((s) => s.init()));
    const kids = await Promise.all(services.map(async (s) => (await s.current()).kid));
    expect(await live()).toHaveLength(1);
    expect(new Set(kids)).toEqual(new Set([(await live())[0]!.kid]));
  });

  it('instances that see the key age at the same moment rotate it once, and keep one live key', async () => {
    const { clock, services, live } = await instances(3, { rotationIntervalMs: 86_400_000 });
    await services[0]!.init();
    const first = (await services[0]!.current()).kid;
    clock.advanceSeconds(86_400);
    const kids = await Promise.all(services.map(async (s) => (await s.current()).kid));
    const after = await live();
    expect(after).toHaveLength(1);
    expect(after[0]!.kid).not.toBe(first);
    expect(new Set(kids)).toEqual(new Set([after[0]!.kid]));
    // The replaced key still verifies tokens it signed.
    expect(await services[2]!.verificationKey(first)).toBeDefined();
  });

  it('two rotations asked for at once make two keys, one after the other, and leave one live', async () => {
    const { services, live } = await instances(2);
    await services[0]!.init();
    const before = (await services[0]!.current()).kid;
    const made = await Promise.all(services.map((s) => s.rotate()));
    const after = await live();
    expect(after).toHaveLength(1);
    expect(made).toContain(after[0]!.kid);
    for (const kid of [before, ...made]) expect(await services[0]!.verificationKey(kid)).toBeDefined();
  });

  it('a burst of made-up kids costs a bounded number of key-table reads, and each is answered after one', async () => {
    const t = await core();
    const repo = countingRepo(t.store.signingKeys);
    const service = new SigningKeyService(repo, t.clock, OPTIONS);
    await service.init();
    const reads = repo.reads;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => service.verificationKey(`made-up-${i}`)));
    expect(answers.every((a) => a === undefined)).toBe(true);
    // One reload started by the first, one queued behind it shared by the other 49.
    expect(repo.reads - reads).toBeLessThanOrEqual(2);
    expect(repo.reads - reads).toBeGreaterThanOrEqual(1);
  });
});

import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../src/core/signing-keys/signing-key.types.js';
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
});

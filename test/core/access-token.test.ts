import { decodeJwt, decodeProtectedHeader, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/core/users/user.types.js';
import { createTestCore, TEST_ISSUER, type TestCore, accessTokenFor, NATIVE_ORIGIN } from '../support/test-core.js';

const invalid = { name: 'AuthError', code: 'invalid_token' };

describe('access tokens', () => {
  let t: TestCore;
  let user: User;
  let start: number;
  const extra: TestCore[] = [];

  beforeAll(async () => {
    t = await createTestCore();
    start = t.clock.now();
    user = await t.register('Victor', { email: 'victor@example.test' });
    await t.store.users.update(user.id, { roles: ['admin', 'billing'], locale: 'de-AT', emailVerified: true });
    user = (await t.store.users.findById(user.id))!;
  });

  beforeEach(() => {
    t.clock.advance(start - t.clock.now());
  });

  afterEach(async () => {
    while (extra.length > 0) await extra.pop()!.close();
  });

  afterAll(async () => {
    await t.close();
  });

  /** Signs `claims` as our tokens look, with any key and header. */
  async function forge(claims: JWTPayload, key: Parameters<SignJWT['sign']>[0], header: { alg: string; kid?: string }) {
    const now = Math.floor(t.clock.now() / 1000);
    return new SignJWT({ token_use: 'access', client_id: 'tessera-native', sid: 'a-session', ...claims })
      .setProtectedHeader({ typ: 'at+jwt', ...header })
      .setIssuer(TEST_ISSUER)
      .setAudience('tessera')
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .setJti('forged')
      .sign(key);
  }

  it('carries every documented claim, and verifies back to the user', async () => {
    const account = { id: '7f1d7d3c-2a55-4a8e-9a57-0a3fd2a4e5b1', name: 'Acme', createdAt: t.clock.now() };
    await t.store.accounts.insert(account);
    await t.store.accounts.putMember({ accountId: account.id, userId: user.id, role: 'owner' });
    const issued = await accessTokenFor(t, user);
    const header = decodeProtectedHeader(issued.token);
    const { kid } = await t.core.keys.current();
    expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid });
    const claims = decodeJwt(issued.token);
    const iat = Math.floor(t.clock.now() / 1000);
    expect(claims).toEqual({
      iss: TEST_ISSUER,
      sub: user.id,
      aud: 'tessera',
      iat,
      exp: iat + 900,
      jti: issued.jti,
      client_id: 'tessera-native',
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      roles: ['admin', 'billing'],
      accounts: [{ id: account.id, role: 'owner' }],
      username: 'Victor',
      email: 'victor@example.test',
      email_verified: true,
      locale: 'de-AT',
      token_use: 'access',
    });
    expect(issued).toMatchObject({ expiresIn: 900, expiresAt: (iat + 900) * 1000 });
    expect(issued.jti).toMatch(/^[0-9a-f-]{36}$/);
    await expect(t.core.tokens.verify(issued.token)).resolves.toMatchObject({
      subject: user.id,
      kind: 'access',
      clientId: 'tessera-native',
      roles: ['admin', 'billing'],
      accounts: [{ id: account.id, role: 'owner' }],
      viaApiKey: false,
      tokenId: issued.jti,
      expiresAt: (iat + 900) * 1000,
    });
  });

  it('expires with the clock, after the allowed skew', async () => {
    const { token } = await accessTokenFor(t, user);
    t.clock.advanceSeconds(900 + 29);
    await expect(t.core.tokens.verify(token)).resolves.toMatchObject({ subject: user.id });
    t.clock.advanceSeconds(1);
    await expect(t.core.tokens.verify(token)).rejects.toMatchObject({ ...invalid, message: 'the access token has expired' });
  });

  it('rejects a token signed by another key under our kid', async () => {
    const { kid } = await t.core.keys.current();
    const { privateKey } = await generateKeyPair('RS256');
    const token = await forge({ roles: ['admin'] }, privateKey, { alg: 'RS256', kid });
    await expect(t.core.tokens.verify(token)).rejects.toMatchObject(invalid);
  });

  it('rejects alg none, HS256 keyed with our public key, and unknown kids', async () => {
    const { kid } = await t.core.keys.current();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const real = decodeJwt((await accessTokenFor(t, user)).token);
    const none = `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(real)}.`;
    await expect(t.core.tokens.verify(none)).rejects.toMatchObject(invalid);
    const pem = await t.core.keys.publicKeyPem();
    const hs = await forge({}, new TextEncoder().encode(pem), { alg: 'HS256', kid });
    await expect(t.core.tokens.verify(hs)).rejects.toMatchObject(invalid);
    const { privateKey } = await t.core.keys.current();
    await expect(t.core.tokens.verify(await forge({}, privateKey, { alg: 'RS256', kid: 'someone-elses' }))).rejects.toMatchObject(invalid);
    await expect(t.core.tokens.verify(await forge({}, privateKey, { alg: 'RS256' }))).rejects.toMatchObject(invalid);
  });

  it('accepts a token made with our own key, but not one that is not an access token', async () => {
    const { kid, privateKey } = await t.core.keys.current();
    await expect(t.core.tokens.verify(await forge({}, privateKey, { alg: 'RS256', kid }))).resolves.toMatchObject({ subject: user.id });
    await expect(t.core.tokens.verify(await forge({ token_use: 'refresh' }, privateKey, { alg: 'RS256', kid }))).rejects.toMatchObject(invalid);
    // RFC 9068: the typ says what the token is; a plain JWT, or a user token without a session, is none of ours
    await expect(t.core.tokens.verify(await forge({}, privateKey, { alg: 'RS256', kid, typ: 'JWT' } as { alg: string }))).rejects.toMatchObject(invalid);
    await expect(t.core.tokens.verify(await forge({ sid: undefined }, privateKey, { alg: 'RS256', kid }))).rejects.toMatchObject(invalid);
  });

  it('rejects a tampered payload and garbage', async () => {
    const { token } = await accessTokenFor(t, user);
    const [h, , s] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), roles: ['superuser'] })).toString('base64url');
    await expect(t.core.tokens.verify(`${h}.${payload}.${s}`)).rejects.toMatchObject(invalid);
    for (const junk of ['', 'abc', 'a.b.c', `${token}x`]) await expect(t.core.tokens.verify(junk)).rejects.toMatchObject(invalid);
  });

  it('rejects a token for another audience or from another issuer, even when signed by our key', async () => {
    for (const options of [{ audience: 'someone-else' }, { issuer: 'https://evil.example' }]) {
      const other = await createTestCore({ sharing: t, options });
      extra.push(other);
      const { token } = await accessTokenFor(other, user);
      await expect(other.core.tokens.verify(token)).resolves.toMatchObject({ subject: user.id });
      await expect(t.core.tokens.verify(token)).rejects.toMatchObject(invalid);
    }
  });

  it('the restricted token is its own typ and audience, carries no roles or accounts, and lives 600 seconds', async () => {
    const restricted = await t.core.sessions.startRestricted(user, {}, NATIVE_ORIGIN);
    expect(decodeProtectedHeader(restricted.token).typ).toBe('pwd-change+jwt');
    const claims = decodeJwt(restricted.token);
    expect(claims.aud).toBe(`${TEST_ISSUER}/v1/user/password/change`);
    expect(claims.roles).toBeUndefined();
    expect(claims.accounts).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(600);
    expect(restricted.expiresIn).toBe(600);
    await expect(t.core.tokens.verify(restricted.token)).resolves.toMatchObject({ kind: 'restricted' });
    t.clock.advanceSeconds(600 + 30);
    await expect(t.core.tokens.verify(restricted.token)).rejects.toMatchObject(invalid);
  });

  it('a longer lifetime can be asked for (seed 003: 24 h)', async () => {
    const issued = await accessTokenFor(t, user, 86_400);
    expect(issued.expiresIn).toBe(86_400);
    t.clock.advanceSeconds(86_000);
    await expect(t.core.tokens.verify(issued.token)).resolves.toMatchObject({ subject: user.id });
  });
});

import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, login } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

let t: TestApp;
let token: string;
let userId: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await registerUser(t, 'alice@example.com', undefined, { name: 'Alice', locale: 'en' })).access_token;
  userId = decodeJwt(token).sub!;
});
afterAll(async () => t.close());

const profile = (headers: Record<string, string> = {}) => t.request('GET', '/v1/user/profile', { headers });

describe('GET /v1/user/profile', () => {
  it('answers the caller profile, not cached', async () => {
    const res = await t.request('GET', '/v1/user/profile', { token });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      id: userId,
      name: 'Alice',
      locale: 'en',
      addresses: [],
      roles: [],
      username: 'alice@example.com',
      email: 'alice@example.com',
      emailVerified: false,
    });
  });

  it('answers 401 with a Bearer challenge without a token', async () => {
    const res = await profile();
    expectProblem(res, 401, 'credentials_required');
    // RFC 6750 section 3.1: no error attribute when no credential was presented.
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera"');
  });

  it('accepts a bare JWT in Authorization, and a lower-case bearer scheme', async () => {
    expect((await profile({ authorization: token })).statusCode).toBe(200);
    expect((await profile({ authorization: `bearer ${token}` })).statusCode).toBe(200);
  });

  it('rejects other schemes and garbage with 401', async () => {
    for (const authorization of [`Basic ${Buffer.from('alice:x').toString('base64')}`, 'Bearer', 'Bearer not.a.jwt', 'garbage', `Bearer ${token} extra`]) {
      const res = await profile({ authorization });
      // A JWT-shaped token that fails is invalid_token; no usable credential at all is credentials_required.
      expectProblem(res, 401, authorization === 'Bearer not.a.jwt' ? 'invalid_token' : 'credentials_required');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    }
  });

  it('rejects an access token after it expires (16 minutes later)', async () => {
    const fresh = (await login(t, 'alice@example.com')).access_token;
    t.clock.advanceSeconds(14 * 60);
    expect((await t.request('GET', '/v1/user/profile', { token: fresh })).statusCode).toBe(200);
    t.clock.advanceSeconds(2 * 60);
    const res = await t.request('GET', '/v1/user/profile', { token: fresh });
    const body = expectProblem(res, 401, 'invalid_token');
    expect(body.detail).toMatch(/expired/);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    // the later tests need a live token again
    token = (await login(t, 'alice@example.com')).access_token;
  });

  it('rejects tampered tokens', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = { ...decodeJwt(token), roles: ['admin'] };
    const forgedPayload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    for (const bad of [`${header}.${forgedPayload}.${signature}`, `${header}.${payload}.${flipped}`, none, `${header}.${payload}`]) {
      expectProblem(await t.request('GET', '/v1/user/profile', { token: bad }), 401, 'invalid_token');
    }
  });

  it('rejects a well-formed token signed by a foreign key under our kid', async () => {
    const { kid } = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...decodeJwt(token), roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .sign(privateKey);
    expectProblem(await t.request('GET', '/v1/user/profile', { token: forged }), 401, 'invalid_token');
  });
});

describe('POST /v1/user/address', () => {
  const add = (body: unknown, auth: string | undefined = token) => t.request('POST', '/v1/user/address', { body, token: auth });

  it('answers an addressId and lists the address in the profile', async () => {
    const first = await add({ address: '221B Baker Street, London', type: 'home' });
    expect(first.statusCode).toBe(200);
    const { addressId } = first.json<{ addressId: string }>();
    expect(addressId).toMatch(/^[0-9a-f-]{36}$/);
    t.clock.advanceSeconds(1); // addresses list oldest first; same-millisecond ones in id order
    const second = await add({ address: '  10 Downing Street ', type: 'work' });
    expect(second.json<{ addressId: string }>().addressId).not.toBe(addressId);
    const res = await t.request('GET', '/v1/user/profile', { token });
    expect(res.json<{ addresses: string[] }>().addresses).toEqual(['221B Baker Street, London', '10 Downing Street']);
  });

  it('needs a valid token', async () => {
    expectProblem(await add({ address: 'x', type: 'home' }, ''), 401, 'credentials_required');
    expectProblem(await add({ address: 'x', type: 'home' }, 'a.b.c'), 401, 'invalid_token');
  });

  it('validates the body', async () => {
    expectFieldError(await add({ address: '221B Baker Street' }), 'type');
    expectFieldError(await add({ type: 'home' }), 'address');
    expectFieldError(await add({ address: '', type: 'home' }), 'address');
    expectFieldError(await add({ address: '   ', type: 'home' }), 'address');
    expectFieldError(await add({ address: 7, type: 'home' }), 'address');
    expectFieldError(await add({ address: 'a'.repeat(1001), type: 'home' }), 'address');
    expectFieldError(await add({ address: 'a\u0000b', type: 'home' }), 'address');
  });
});

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const register = (body: unknown) => t.request('POST', '/v1/user', { body });
const profileOf = async (token: string) => (await t.request('GET', '/v1/user/profile', { token })).json();

describe('POST /v1/user', () => {
  it('registers a user and answers a token pair that is not cached', async () => {
    const res = await register({ username: 'alice', password: STRONG_PASSWORD, locale: 'de', name: 'Alice A.', termsAndConditions: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<TokenPair>();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    expect(body.refresh_token.length).toBeGreaterThanOrEqual(43);
    const claims = decodeJwt(body.access_token);
    expect(claims.username).toBe('alice');
    expect(claims.locale).toBe('de');
    expect(claims.iss).toBe('http://tessera.test');
    expect(claims.exp! - claims.iat!).toBe(900);
    const profile = await profileOf(body.access_token);
    expect(profile).toMatchObject({ id: claims.sub, username: 'alice', name: 'Alice A.', locale: 'de', email: null, addresses: [], roles: [] });
  });

  it('takes a username that is an email address as the email, unless email is given', async () => {
    const mailUser = await registerUser(t, 'Bob@Example.com');
    expect(await profileOf(mailUser.access_token)).toMatchObject({ username: 'Bob@Example.com', email: 'bob@example.com', emailVerified: false });
    const explicit = await registerUser(t, 'carl@example.com', STRONG_PASSWORD, { email: 'other@example.com' });
    expect((await profileOf(explicit.access_token)).email).toBe('other@example.com');
  });

  it('answers 409 for a username taken in another case or in a full-width look-alike', async () => {
    await registerUser(t, 'dora');
    expectProblem(await register({ username: 'DORA', password: STRONG_PASSWORD }), 409, 'username_taken');
    expectProblem(await register({ username: '  Dora ', password: STRONG_PASSWORD }), 409, 'username_taken');
    expectProblem(await register({ username: 'Ａｌｉｃｅ', password: STRONG_PASSWORD }), 409, 'username_taken');
  });

  it('lets exactly one of concurrent registrations of one name win', async () => {
    const names = ['race', 'RACE', 'Ｒａｃｅ', 'race '];
    const results = await Promise.all(names.map((username) => register({ username, password: STRONG_PASSWORD })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    for (const res of results.filter((r) => r.statusCode === 409)) expectProblem(res, 409, 'username_taken');
  });

  it('answers 409 for a taken email, given explicitly or as the username', async () => {
    await registerUser(t, 'erin', STRONG_PASSWORD, { email: 'erin@example.com' });
    expectProblem(await register({ username: 'erin2', password: STRONG_PASSWORD, email: 'ERIN@example.com' }), 409, 'email_taken');
    expectProblem(await register({ username: 'erin@example.com', password: STRONG_PASSWORD }), 409, 'email_taken');
  });

  it('rejects weak, common, short, over-long and username-equal passwords naming the field password', async () => {
    for (const password of ['short', 'password', 'qwertyuiop', 'x'.repeat(1025), 'frankfrank']) {
      const body = expectFieldError(await register({ username: 'frankfrank', password }), 'password');
      expect(body.code).toBe('password_rejected');
    }
    expectFieldError(await register({ username: 'frank', password: 'x'.repeat(4097) }), 'password');
    // nothing was created by the failed attempts
    expect((await register({ username: 'frankfrank', password: STRONG_PASSWORD })).statusCode).toBe(200);
  });

  it('accepts passwords of 8 and 1024 characters and NFKC-normalizes them', async () => {
    expect((await register({ username: 'len8', password: 'zq8#kx!w' })).statusCode).toBe(200);
    expect((await register({ username: 'len1024', password: 'ab'.repeat(512) })).statusCode).toBe(200);
    expectFieldError(await register({ username: 'len7', password: 'zq8#kx!' }), 'password');
    expect((await register({ username: 'wide', password: 'ｃｏｒｒｅｃｔ horse battery staple' })).statusCode).toBe(200);
    const res = await t.request('POST', '/v1/auth/login', { body: { username: 'wide', password: STRONG_PASSWORD } });
    expect(res.statusCode).toBe(200);
  });

  it('rejects zero-width, control, NUL and empty usernames with 400 naming username', async () => {
    for (const username of ['ali\u200Bce', 'ali\u0007ce', 'ali\uFEFFce', 'ali\u202Ece', 'ali\u0000ce', '   ', '']) {
      expectFieldError(await register({ username, password: STRONG_PASSWORD }), 'username');
    }
    expectFieldError(await register({ username: 'u'.repeat(255), password: STRONG_PASSWORD }), 'username');
  });

  it('rejects wrong types and missing fields with field errors', async () => {
    expectFieldError(await register({ username: 123, password: STRONG_PASSWORD }), 'username');
    expectFieldError(await register({ username: 'gina', password: ['x'] }), 'password');
    expectFieldError(await register({ username: 'gina', password: STRONG_PASSWORD, termsAndConditions: 'yes' }), 'termsAndConditions');
    expectFieldError(await register({ username: 'gina', password: STRONG_PASSWORD, locale: 'x'.repeat(36) }), 'locale');
    expectFieldError(await register({ username: 'gina', password: STRONG_PASSWORD, name: 'n'.repeat(201) }), 'name');
    expectFieldError(await register({ username: 'gina', password: STRONG_PASSWORD, email: 'not-an-email' }), 'email');
    expectFieldError(await register({ username: 'gina', password: STRONG_PASSWORD, name: 'a\u0000b' }), 'name');
    expectFieldError(await register({ password: STRONG_PASSWORD }), 'username');
    expectFieldError(await register({ username: 'gina' }), 'password');
    expectProblem(await register([]), 400, 'invalid_input');
    const json = { 'content-type': 'application/json' };
    expectProblem(await t.request('POST', '/v1/user', { body: '"just a string"', headers: json }), 400, 'invalid_input');
    expectProblem(await t.request('POST', '/v1/user', { body: 'null', headers: json }), 400, 'invalid_input');
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const res = await register({ username: 'hank', password: STRONG_PASSWORD, name: 'n'.repeat(70_000) });
    expectProblem(res, 413);
  });

  it('answers 415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await t.request('POST', '/v1/user', { body: 'username=ivan&password=x', headers: { 'content-type': type } });
      expectProblem(res, 415, 'unsupported_media_type');
    }
    const noType = await t.request('POST', '/v1/user', { body: 'username=ivan' });
    expectProblem(noType, 415, 'unsupported_media_type');
  });

  it('answers 400 for malformed or empty JSON and for prototype pollution', async () => {
    const json = { 'content-type': 'application/json' };
    expectProblem(await t.request('POST', '/v1/user', { body: '{"username": "jo', headers: json }), 400, 'invalid_input');
    expectProblem(await t.request('POST', '/v1/user', { body: '', headers: json }), 400, 'invalid_input');
    const proto = `{"username":"joe","password":"${STRONG_PASSWORD}","__proto__":{"roles":["admin"]}}`;
    expectProblem(await t.request('POST', '/v1/user', { body: proto, headers: json }), 400, 'invalid_input');
  });

  it('ignores roles smuggled into the body', async () => {
    const pair = (await register({ username: 'kim', password: STRONG_PASSWORD, roles: ['admin'] })).json<TokenPair>();
    expect(decodeJwt(pair.access_token).roles).toEqual([]);
  });
});

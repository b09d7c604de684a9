import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, login, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ REFRESH_TOKEN_TTL: '3600' });
  await registerUser(t, 'alice');
});
afterAll(async () => t.close());

const loginRes = (body: unknown) => t.request('POST', '/v1/auth/login', { body });
const refresh = (token: string) => t.request('POST', '/v1/auth/refresh', { body: { token } });

describe('POST /v1/auth/login', () => {
  it('answers a token pair for the right password, in any case of the username', async () => {
    for (const username of ['alice', 'ALICE', ' Alice ', 'Ａｌｉｃｅ']) {
      const res = await loginRes({ username, password: STRONG_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json<TokenPair>();
      expect(body.token_type).toBe('Bearer');
      expect(decodeJwt(body.access_token).username).toBe('alice');
      expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    }
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const unknown = await loginRes({ username: 'nobody', password: STRONG_PASSWORD });
    const wrong = await loginRes({ username: 'alice', password: 'not the right password' });
    const invisible = await loginRes({ username: 'ali\u200Bce', password: STRONG_PASSWORD });
    for (const res of [unknown, wrong, invisible]) {
      expectProblem(res, 401, 'invalid_credentials');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    }
    expect(wrong.body).toBe(unknown.body);
    expect(invisible.body).toBe(unknown.body);
    expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
  });

  it('validates the body', async () => {
    expectFieldError(await loginRes({ username: 'alice' }), 'password');
    expectFieldError(await loginRes({ password: STRONG_PASSWORD }), 'username');
    expectFieldError(await loginRes({ username: 'alice', password: 42 }), 'password');
    expectFieldError(await loginRes({ username: 'alice', password: '' }), 'password');
    expectFieldError(await loginRes({ username: 'a\u0000lice', password: STRONG_PASSWORD }), 'username');
  });

  it('updates the profile locale when one is sent', async () => {
    const res = await loginRes({ username: 'alice', password: STRONG_PASSWORD, locale: 'fr-CA' });
    expect(res.statusCode).toBe(200);
    const profile = await t.request('GET', '/v1/user/profile', { token: res.json<TokenPair>().access_token });
    expect(profile.json().locale).toBe('fr-CA');
  });

  it('answers an expired password with 403, passwordExpired and a restricted token', async () => {
    await registerUser(t, 'bert');
    const user = await t.app.core.store.users.findByUsernameKey('bert');
    await t.app.core.store.users.update(user!.id, { passwordExpiresAt: t.clock.now() - 1000 });

    const res = await loginRes({ username: 'bert', password: STRONG_PASSWORD });
    const body = expectProblem(res, 403, 'password_expired');
    expect(body.passwordExpired).toBe(true);
    expect(body).not.toHaveProperty('access_token');
    expect(body).not.toHaveProperty('refresh_token');
    const restricted = body.restrictedToken as string;
    const claims = decodeJwt(restricted);
    expect(claims.token_use).toBe('password_change');
    expect(claims.sub).toBe(user!.id);
    expect(claims.exp! - claims.iat!).toBe(600);

    // a wrong password on an expired account is still a plain 401 with no token
    const wrong = expectProblem(await loginRes({ username: 'bert', password: 'wrong password here' }), 401);
    expect(wrong).not.toHaveProperty('restrictedToken');

    // the restricted token opens nothing but the password change
    for (const [method, url] of [['GET', '/v1/user/profile'], ['GET', '/v1/user/sessions'], ['POST', '/v1/user/email/verify']] as const) {
      const denied = expectProblem(await t.request(method, url, { token: restricted }), 403, 'password_expired');
      expect(denied.passwordExpired).toBe(true);
    }
    const change = await t.request('POST', '/v1/user/password/change', { token: restricted, body: { password: 'a brand new passphrase' } });
    expect(change.statusCode, change.body).toBe(200);
    const pair = change.json<TokenPair & { userId: string }>();
    expect(pair.userId).toBe(user!.id);
    expect(decodeJwt(pair.access_token).token_use).toBe('access');
    expect((await t.request('GET', '/v1/user/profile', { token: pair.access_token })).statusCode).toBe(200);
    expect((await loginRes({ username: 'bert', password: 'a brand new passphrase' })).statusCode).toBe(200);
    expectProblem(await loginRes({ username: 'bert', password: STRONG_PASSWORD }), 401, 'invalid_credentials');
  });
});

describe('POST /v1/auth/refresh', () => {
  it('rotates: a new pair each time, and a reused token revokes the whole family', async () => {
    const first = await login(t, 'alice');
    const second = await refresh(first.refresh_token);
    expect(second.statusCode).toBe(200);
    expect(second.headers['cache-control']).toBe('no-store');
    const pair2 = second.json<TokenPair>();
    expect(pair2.refresh_token).not.toBe(first.refresh_token);
    expect(pair2.access_token).not.toBe(first.access_token);
    expect(decodeJwt(pair2.access_token).sub).toBe(decodeJwt(first.access_token).sub);
    const pair3 = (await refresh(pair2.refresh_token)).json<TokenPair>();

    // replaying an old token: 401, and the newest token of the family dies with it
    expectProblem(await refresh(first.refresh_token), 401, 'refresh_token_reused');
    expectProblem(await refresh(pair3.refresh_token), 401);
    // another family of the same user is untouched
    const other = await login(t, 'alice');
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('lets exactly one of concurrent refreshes with one token succeed, and revokes the family', async () => {
    const pair = await login(t, 'alice');
    const results = await Promise.all([0, 1, 2, 3].map(() => refresh(pair.refresh_token)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 401, 401, 401]);
    const winner = results.find((r) => r.statusCode === 200)!.json<TokenPair>();
    expectProblem(await refresh(winner.refresh_token), 401);
  });

  it('rejects an expired refresh token', async () => {
    const pair = await login(t, 'alice');
    t.clock.advanceSeconds(3601);
    const res = expectProblem(await refresh(pair.refresh_token), 401, 'refresh_token_invalid');
    expect(res.detail).not.toContain(pair.refresh_token);
  });

  it('rejects unknown tokens, access tokens and malformed bodies', async () => {
    expectProblem(await refresh('not-a-refresh-token'), 401, 'refresh_token_invalid');
    const pair = await login(t, 'alice');
    expectProblem(await refresh(pair.access_token), 401, 'refresh_token_invalid');
    expectFieldError(await t.request('POST', '/v1/auth/refresh', { body: {} }), 'token');
    expectFieldError(await t.request('POST', '/v1/auth/refresh', { body: { token: '' } }), 'token');
    expectFieldError(await t.request('POST', '/v1/auth/refresh', { body: { token: 'x'.repeat(4097) } }), 'token');
  });

  it('refuses to refresh once the password has expired', async () => {
    const pair = await registerUser(t, 'cleo');
    const id = decodeJwt(pair.access_token).sub!;
    await t.app.core.store.users.update(id, { passwordExpiresAt: t.clock.now() - 1 });
    const body = expectProblem(await refresh(pair.refresh_token), 403, 'password_expired');
    expect(body.passwordExpired).toBe(true);
  });
});

describe('POST /v1/auth/logout', () => {
  it('revokes the family of the token; unknown tokens answer revoked:false', async () => {
    const pair = await login(t, 'alice');
    const rotated = (await refresh(pair.refresh_token)).json<TokenPair>();
    const res = await t.request('POST', '/v1/auth/logout', { body: { token: pair.refresh_token } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: true });
    expectProblem(await refresh(rotated.refresh_token), 401);
    expect((await t.request('POST', '/v1/auth/logout', { body: { token: rotated.refresh_token } })).json()).toEqual({ revoked: false });
    expect((await t.request('POST', '/v1/auth/logout', { body: { token: 'never-issued' } })).json()).toEqual({ revoked: false });
    expectFieldError(await t.request('POST', '/v1/auth/logout', { body: {} }), 'token');
  });
});

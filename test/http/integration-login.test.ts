import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** Seed 000's AuthResponse: accessToken (string, nullable), refreshToken (string, nullable), passwordExpired (boolean). */
interface AuthResponse {
  accessToken: string | null;
  refreshToken: string | null;
  passwordExpired: boolean;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const auth = (body: unknown, headers?: Record<string, string>) => t.request('POST', '/api/Auth/Auth', { body, headers });
const userIdOf = (token: string) => decodeJwt(token).sub!;

describe('integration (seed 000): POST /api/Auth/Auth', () => {
  it('answers 200 {accessToken, refreshToken, passwordExpired} for login and password', async () => {
    const registered = await registerUser(t, 'integrator');
    // The seed's "important" headers: Content-Type application/json and X-nugios-timezone 240.
    const res = await auth(
      { login: 'integrator', password: STRONG_PASSWORD },
      { 'content-type': 'application/json', 'x-nugios-timezone': '240' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<AuthResponse>();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'passwordExpired', 'refreshToken']);
    expect(typeof body.accessToken).toBe('string');
    expect(typeof body.refreshToken).toBe('string');
    expect(body.passwordExpired).toBe(false);

    const header = decodeProtectedHeader(body.accessToken!);
    expect(header.alg).toBe('RS256');
    expect(header.typ).toBe('at+jwt');
    const claims = decodeJwt(body.accessToken!);
    expect(claims.sub).toBe(userIdOf(registered.access_token));
    expect(claims.username).toBe('integrator');
    expect(claims.token_use).toBe('access');
  });

  it('gives an access token that works as "Authorization: Bearer <token>" on other requests', async () => {
    await registerUser(t, 'bearer-user');
    const { accessToken } = (await auth({ login: 'bearer-user', password: STRONG_PASSWORD })).json<AuthResponse>();
    const profile = await t.request('GET', '/v1/user/profile', { token: accessToken! });
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json<{ username: string }>().username).toBe('bearer-user');
  });

  it('gives a refresh token that POST /v1/auth/refresh accepts (once)', async () => {
    await registerUser(t, 'refresher');
    const { accessToken, refreshToken } = (await auth({ login: 'refresher', password: STRONG_PASSWORD })).json<AuthResponse>();
    const res = await t.request('POST', '/v1/auth/refresh', { body: { token: refreshToken } });
    expect(res.statusCode, res.body).toBe(200);
    const pair = res.json<TokenPair>();
    expect(pair.token_type).toBe('Bearer');
    expect(userIdOf(pair.access_token)).toBe(userIdOf(accessToken!));
    expect(pair.refresh_token).not.toBe(refreshToken);
    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: refreshToken } }), 401);
  });

  it('treats the login case-insensitively', async () => {
    await registerUser(t, 'MixedCase');
    const res = await auth({ login: 'mixedcase', password: STRONG_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers wrong credentials with 401 problem JSON, the same for an unknown login', async () => {
    await registerUser(t, 'wrongpass');
    const wrong = expectProblem(await auth({ login: 'wrongpass', password: 'not the right passphrase' }), 401, 'invalid_credentials');
    const unknown = expectProblem(await auth({ login: 'nobody-here', password: STRONG_PASSWORD }), 401, 'invalid_credentials');
    expect(unknown.detail).toBe(wrong.detail);
    expect(JSON.stringify(wrong)).not.toMatch(/accessToken|refreshToken/);
  });

  it('answers a missing or mistyped field with 400 problem JSON naming it', async () => {
    const missing = expectProblem(await auth({ password: STRONG_PASSWORD }), 400);
    expect(missing.errors?.map((e) => e.field)).toContain('login');
    const typed = expectProblem(await auth({ login: 'x', password: 12345678 }), 400);
    expect(typed.errors?.map((e) => e.field)).toContain('password');
  });

  describe('expired password', () => {
    let restricted: string;
    let userId: string;

    beforeAll(async () => {
      const registered = await registerUser(t, 'expired-integrator');
      userId = userIdOf(registered.access_token);
      await t.app.core.credentials.expireNow(userId, {});
    });

    it('answers 200 with passwordExpired true, the restricted token and refreshToken null', async () => {
      const res = await auth({ login: 'expired-integrator', password: STRONG_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<AuthResponse>();
      expect(body.passwordExpired).toBe(true);
      expect(body.refreshToken).toBeNull();
      expect(typeof body.accessToken).toBe('string');
      const claims = decodeJwt(body.accessToken!);
      expect(claims.token_use).toBe('password_change');
      expect(claims.sub).toBe(userId);
      expect(claims.exp! - claims.iat!).toBe(600);
      restricted = body.accessToken!;
    });

    it('still answers 401 (not the restricted token) for a wrong password', async () => {
      expectProblem(await auth({ login: 'expired-integrator', password: 'not the right passphrase' }), 401);
    });

    it('refuses the restricted token on /v1/user/profile with 403 passwordExpired', async () => {
      const body = expectProblem(await t.request('GET', '/v1/user/profile', { token: restricted }), 403, 'password_expired');
      expect(body.passwordExpired).toBe(true);
    });

    it('accepts the restricted token on POST /v1/user/password/change without oldPassword', async () => {
      const res = await t.request('POST', '/v1/user/password/change', {
        token: restricted,
        body: { password: 'a brand new integration passphrase' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ userId: string }>().userId).toBe(userId);

      const after = (await auth({ login: 'expired-integrator', password: 'a brand new integration passphrase' })).json<AuthResponse>();
      expect(after.passwordExpired).toBe(false);
      expect(typeof after.refreshToken).toBe('string');
      expect(decodeJwt(after.accessToken!).token_use).toBe('access');
      expectProblem(await auth({ login: 'expired-integrator', password: STRONG_PASSWORD }), 401);
    });
  });
});

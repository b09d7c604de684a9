/**
 * The token an expired password buys is not an access token: header `typ: pwd-change+jwt`,
 * audience `<PUBLIC_URL>/v1/user/password/change` (not TOKEN_AUDIENCE), no roles, no accounts.
 * Only the password change accepts it; every other protected route answers 403 passwordExpired.
 * Both ways to expire a password are covered: PASSWORD_MAX_AGE_DAYS and the admin PATCH.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeApp, introspect, subjectOf, type ProbeApp } from '../support/credential-probes.js';
import { expectProblem, type TokenPair } from '../support/native-helpers.js';
import { registerUser, STRONG_PASSWORD } from '../support/test-app.js';

const AUDIENCE = 'http://tessera.test/v1/user/password/change';
const DAY = 86_400;

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp({ PASSWORD_MAX_AGE_DAYS: '30' });
});
afterAll(async () => p.close());

/** An admin with the role in the token and in the database, so roles have something to leak. */
async function expiredAdmin(username: string, how: 'max-age' | 'admin-patch'): Promise<string> {
  const pair = await registerUser(p.t, username);
  const id = subjectOf(pair.access_token);
  const patched = await p.t.request('PATCH', `/v1/admin/users/${id}`, { token: p.adminToken, body: { roles: ['admin'] } });
  expect(patched.statusCode, patched.body).toBe(200);
  if (how === 'admin-patch') {
    expect((await p.t.request('PATCH', `/v1/admin/users/${id}`, { token: p.adminToken, body: { passwordExpired: true } })).statusCode).toBe(200);
  } else {
    // Last in this file: every password here (root's too) is expired from now on.
    p.t.clock.advanceSeconds(31 * DAY);
  }
  const res = await p.t.request('POST', '/api/Auth/Auth', { body: { login: username, password: STRONG_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ accessToken: string; refreshToken: string | null; passwordExpired: boolean }>();
  expect(body.passwordExpired).toBe(true);
  expect(body.refreshToken).toBeNull();
  return body.accessToken;
}

describe.each(['admin-patch', 'max-age'] as const)('the restricted token of a password expired by %s', (how) => {
  let restricted: string;
  beforeAll(async () => {
    restricted = await expiredAdmin(`expired-${how}`, how);
  });

  it('has typ pwd-change+jwt, the password-change audience, and no roles or accounts', () => {
    const header = decodeProtectedHeader(restricted);
    expect(header.typ).toBe('pwd-change+jwt');
    expect(typeof header.kid).toBe('string');
    const claims = decodeJwt(restricted);
    expect(claims.aud).toBe(AUDIENCE);
    expect(claims.aud).not.toBe('tessera');
    expect(claims).not.toHaveProperty('roles');
    expect(claims).not.toHaveProperty('accounts');
    expect(claims.iss).toBe('http://tessera.test');
    expect(claims.exp! - claims.iat!).toBe(600);
  });

  it('the /v1 logins hand out the same kind of token as restrictedToken', async () => {
    for (const url of ['/v1/auth/login', '/v1/api/auth/token']) {
      const problem = expectProblem(await p.t.request('POST', url, { body: { username: `expired-${how}`, password: STRONG_PASSWORD } }), 403, 'password_expired');
      const token = problem.restrictedToken as string;
      expect(decodeProtectedHeader(token).typ, url).toBe('pwd-change+jwt');
      expect(decodeJwt(token).aud, url).toBe(AUDIENCE);
      expect(decodeJwt(token), url).not.toHaveProperty('roles');
    }
  });

  it('every other protected route, admin included, answers it 403 with passwordExpired: true', async () => {
    for (const [method, url] of [
      ['GET', '/v1/user/profile'],
      ['GET', '/v1/user/sessions'],
      ['GET', '/v1/api/auth/me'],
      ['GET', '/v1/api/auth/tokenInfo'],
      ['GET', '/authheader/list'],
      ['GET', '/v1/admin/users'],
    ] as const) {
      const problem = expectProblem(await p.t.request(method, url, { token: restricted }), 403);
      expect(problem.passwordExpired, url).toBe(true);
    }
  });

  it('introspection does not describe it as an active access token', async () => {
    expect(JSON.parse(await introspect(p, restricted))).not.toMatchObject({ active: true, roles: expect.anything() });
  });

  it('POST /v1/user/password/change accepts it and answers a normal at+jwt pair', async () => {
    const res = await p.t.request('POST', '/v1/user/password/change', { token: restricted, body: { password: `a renewed passphrase for ${how}` } });
    expect(res.statusCode, res.body).toBe(200);
    const pair = res.json<TokenPair>();
    expect(decodeProtectedHeader(pair.access_token).typ).toBe('at+jwt');
    expect(decodeJwt(pair.access_token).roles).toEqual(['admin']);
  });
});

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const NEW_PASSWORD = 'a freshly rotated passphrase';
const DAY = 86_400;

/** Every login surface with its expected behaviour for an expired password. */
async function expectEveryLoginExpired(t: TestApp, username: string, userId: string): Promise<string> {
  const creds = { username, password: STRONG_PASSWORD };

  // Seed 000: 200, passwordExpired true, the restricted token, no refresh token.
  const integration = await t.request('POST', '/api/Auth/Auth', { body: { login: username, password: STRONG_PASSWORD } });
  expect(integration.statusCode, integration.body).toBe(200);
  const body000 = integration.json<{ accessToken: string; refreshToken: string | null; passwordExpired: boolean }>();
  expect(body000.passwordExpired).toBe(true);
  expect(body000.refreshToken).toBeNull();
  expect(decodeJwt(body000.accessToken)).toMatchObject({ sub: userId, token_use: 'password_change' });

  // Seed 001: 403 problem JSON saying so.
  const seed001 = expectProblem(await t.request('POST', '/user/login', { body: creds }), 403, 'password_expired');
  expect(seed001.passwordExpired).toBe(true);

  // The /v1 logins: 403 problem with passwordExpired and the restricted token.
  let restricted = '';
  for (const url of ['/v1/auth/login', '/v1/api/auth/token']) {
    const problem = expectProblem(await t.request('POST', url, { body: creds }), 403, 'password_expired');
    expect(problem.passwordExpired, url).toBe(true);
    expect(typeof problem.restrictedToken, url).toBe('string');
    restricted = problem.restrictedToken as string;
    expect(decodeJwt(restricted)).toMatchObject({ sub: userId, token_use: 'password_change' });
    expect(JSON.stringify(problem)).not.toMatch(/access_token|refresh_token/);
  }

  // Wrong passwords are still plain 401s everywhere.
  expectProblem(await t.request('POST', '/v1/auth/login', { body: { username, password: 'not the passphrase' } }), 401);
  expectProblem(await t.request('POST', '/api/Auth/Auth', { body: { login: username, password: 'not the passphrase' } }), 401);
  return restricted;
}

/** The restricted token reaches only the password change; then the new password works everywhere. */
async function changeAndExpectNormalLogins(t: TestApp, username: string, restricted: string): Promise<void> {
  for (const [method, url] of [
    ['GET', '/v1/user/profile'],
    ['GET', '/v1/api/auth/me'],
    ['GET', '/v1/api/auth/tokenInfo'],
    ['GET', '/authheader/list'],
  ] as const) {
    const problem = expectProblem(await t.request(method, url, { token: restricted }), 403, 'password_expired');
    expect(problem.passwordExpired, url).toBe(true);
  }
  expectProblem(await t.request('POST', '/authheader/add', { token: restricted, body: { name: 'nope' } }), 403);

  const changed = await t.request('POST', '/v1/user/password/change', { token: restricted, body: { password: NEW_PASSWORD } });
  expect(changed.statusCode, changed.body).toBe(200);
  const pair = changed.json<TokenPair & { userId: string }>();
  expect(decodeJwt(pair.access_token).token_use).toBe('access');
  expect((await t.request('GET', '/v1/user/profile', { token: pair.access_token })).statusCode).toBe(200);

  const creds = { username, password: NEW_PASSWORD };
  const native = await t.request('POST', '/v1/auth/login', { body: creds });
  expect(native.statusCode, native.body).toBe(200);
  const iot = await t.request('POST', '/v1/api/auth/token', { body: creds });
  expect(iot.statusCode, iot.body).toBe(200);
  const seed001 = await t.request('POST', '/user/login', { body: creds });
  expect(seed001.statusCode, seed001.body).toBe(200);
  const integration = await t.request('POST', '/api/Auth/Auth', { body: { login: username, password: NEW_PASSWORD } });
  expect(integration.statusCode, integration.body).toBe(200);
  const body000 = integration.json<{ accessToken: string; refreshToken: string | null; passwordExpired: boolean }>();
  expect(body000.passwordExpired).toBe(false);
  expect(typeof body000.refreshToken).toBe('string');
  expect((await t.request('GET', '/v1/api/auth/me', { token: body000.accessToken })).statusCode).toBe(200);

  // The old password is gone.
  expectProblem(await t.request('POST', '/v1/auth/login', { body: { username, password: STRONG_PASSWORD } }), 401);
}

describe('PASSWORD_MAX_AGE_DAYS=30', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PASSWORD_MAX_AGE_DAYS: '30' });
  });
  afterAll(async () => t.close());

  it('logs in normally before the age is reached, with PasswordExpiration set', async () => {
    const registeredAt = t.clock.now();
    await registerUser(t, 'young');
    t.clock.advanceSeconds(29 * DAY);
    const res = await t.request('POST', '/user/login', { body: { username: 'young', password: STRONG_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const expiration = res.json<{ PasswordExpiration: string | null }>().PasswordExpiration;
    expect(expiration).not.toBeNull();
    expect(expiration).toBe(new Date(registeredAt + 30 * DAY * 1000).toISOString().slice(0, 19));
    expect((await t.request('POST', '/v1/auth/login', { body: { username: 'young', password: STRONG_PASSWORD } })).statusCode).toBe(200);
  });

  it('after 31 days every login surface behaves as documented, and a password change recovers', async () => {
    const registered = await registerUser(t, 'aging');
    const userId = decodeJwt(registered.access_token).sub!;
    t.clock.advanceSeconds(31 * DAY);

    // The refresh token from registration (30-day TTL) has died too.
    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: registered.refresh_token } }), 401);

    const restricted = await expectEveryLoginExpired(t, 'aging', userId);
    const changeAt = t.clock.now();
    await changeAndExpectNormalLogins(t, 'aging', restricted);

    // The new password expires 30 days after the change.
    const res = await t.request('POST', '/user/login', { body: { username: 'aging', password: NEW_PASSWORD } });
    expect(res.json<{ PasswordExpiration: string }>().PasswordExpiration).toBe(
      new Date(changeAt + 30 * DAY * 1000).toISOString().slice(0, 19),
    );
  });

  it('the restricted token itself dies after 10 minutes', async () => {
    const registered = await registerUser(t, 'slowpoke');
    t.clock.advanceSeconds(31 * DAY);
    const restricted = await expectEveryLoginExpired(t, 'slowpoke', decodeJwt(registered.access_token).sub!);
    t.clock.advanceSeconds(600 + 31);
    expectProblem(await t.request('POST', '/v1/user/password/change', { token: restricted, body: { password: NEW_PASSWORD } }), 401);
  });
});

describe('expireNow with the default configuration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('expires the password at once on every login surface; a change makes it never expire again', async () => {
    const registered = await registerUser(t, 'expired-now');
    const userId = decodeJwt(registered.access_token).sub!;
    const before = await t.request('POST', '/user/login', { body: { username: 'expired-now', password: STRONG_PASSWORD } });
    expect(before.json<{ PasswordExpiration: string | null }>().PasswordExpiration).toBeNull();

    await t.app.core.credentials.expireNow(userId, {});
    // A live refresh token from before the expiry buys no normal token now.
    const refused = expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: registered.refresh_token } }), 403, 'password_expired');
    expect(refused.passwordExpired).toBe(true);
    const restricted = await expectEveryLoginExpired(t, 'expired-now', userId);
    await changeAndExpectNormalLogins(t, 'expired-now', restricted);

    t.clock.advanceSeconds(3650 * DAY);
    const after = await t.request('POST', '/user/login', { body: { username: 'expired-now', password: NEW_PASSWORD } });
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json<{ PasswordExpiration: string | null }>().PasswordExpiration).toBeNull();
  });

  it('expireNow of an unknown user is not_found', async () => {
    await expect(t.app.core.credentials.expireNow('00000000-0000-4000-8000-000000000000', {})).rejects.toMatchObject({ code: 'not_found' });
  });
});

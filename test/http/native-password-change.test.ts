import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, login, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

type ChangeAnswer = TokenPair & { userId: string };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const change = (body: unknown, token?: string, headers?: Record<string, string>) =>
  t.request('POST', '/v1/user/password/change', { body, token, headers });
const refresh = (token: string) => t.request('POST', '/v1/auth/refresh', { body: { token } });

describe('POST /v1/user/password/change', () => {
  it('changes with username and oldPassword, revokes old sessions and answers a new pair', async () => {
    const registered = await registerUser(t, 'alice');
    const other = await login(t, 'alice');
    const res = await change({ username: 'ALICE', oldPassword: STRONG_PASSWORD, password: 'alice has a new passphrase' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<ChangeAnswer>();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'userId']);
    expect(body.userId).toBe(decodeJwt(registered.access_token).sub);
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwt(body.access_token).sub).toBe(body.userId);

    for (const old of [registered, other]) expectProblem(await refresh(old.refresh_token), 401);
    expect((await refresh(body.refresh_token)).statusCode).toBe(200);
    expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'alice', password: STRONG_PASSWORD } }), 401);
    await login(t, 'alice', 'alice has a new passphrase');
  });

  it('changes with a bearer token and oldPassword', async () => {
    const pair = await registerUser(t, 'bert');
    const res = await change({ oldPassword: STRONG_PASSWORD, password: 'bert has a new passphrase' }, pair.access_token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ChangeAnswer>().userId).toBe(decodeJwt(pair.access_token).sub);
    expectProblem(await refresh(pair.refresh_token), 401);
    await login(t, 'bert', 'bert has a new passphrase');
  });

  it('accepts a bare JWT as the bearer', async () => {
    const pair = await registerUser(t, 'bare');
    const res = await change({ oldPassword: STRONG_PASSWORD, password: 'bare has a new passphrase' }, undefined, { authorization: pair.access_token });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('requires oldPassword with a normal bearer token', async () => {
    const pair = await registerUser(t, 'cleo');
    const body = expectFieldError(await change({ password: 'cleo has a new passphrase' }, pair.access_token), 'oldPassword');
    expect(body.code).toBe('invalid_input');
    await login(t, 'cleo');
  });

  it('requires username and oldPassword without a token', async () => {
    expectFieldError(await change({ password: 'some new passphrase' }), 'username');
    expectFieldError(await change({ username: 'cleo', password: 'some new passphrase' }), 'oldPassword');
    expectFieldError(await change({ username: 'cleo', oldPassword: STRONG_PASSWORD }), 'password');
    expectFieldError(await change({ username: 'cleo', oldPassword: 1, password: 'some new passphrase' }), 'oldPassword');
    await login(t, 'cleo');
  });

  it('answers 401 for a wrong oldPassword, an unknown user or a bad token, and changes nothing', async () => {
    const pair = await registerUser(t, 'dora');
    const wrongBearer = await change({ oldPassword: 'not my password', password: 'dora has a new passphrase' }, pair.access_token);
    expectProblem(wrongBearer, 401, 'invalid_credentials');
    const wrongName = await change({ username: 'dora', oldPassword: 'not my password', password: 'dora has a new passphrase' });
    expectProblem(wrongName, 401, 'invalid_credentials');
    const unknown = await change({ username: 'nobody', oldPassword: 'not my password', password: 'dora has a new passphrase' });
    expect(expectProblem(unknown, 401).detail).toBe(expectProblem(wrongName, 401).detail);
    const badToken = await change({ oldPassword: STRONG_PASSWORD, password: 'dora has a new passphrase' }, 'x.y.z');
    expectProblem(badToken, 401, 'invalid_token');
    expect(badToken.headers['www-authenticate']).toMatch(/^Bearer /);
    await login(t, 'dora');
    expect((await refresh(pair.refresh_token)).statusCode).toBe(200);
  });

  it('rejects the same password and weak passwords with 400 naming password', async () => {
    const pair = await registerUser(t, 'erin');
    const same = expectFieldError(await change({ oldPassword: STRONG_PASSWORD, password: STRONG_PASSWORD }, pair.access_token), 'password');
    expect(same.code).toBe('password_rejected');
    for (const weak of ['short', 'password', 'erin']) {
      expectFieldError(await change({ username: 'erin', oldPassword: STRONG_PASSWORD, password: weak }), 'password');
    }
    await login(t, 'erin');
  });

  it('accepts the restricted token of an expired password without oldPassword, and only it', async () => {
    await registerUser(t, 'fred');
    const user = await t.app.core.store.users.findByUsernameKey('fred');
    await t.app.core.store.users.update(user!.id, { passwordExpiresAt: t.clock.now() - 1 });
    const denied = await t.request('POST', '/v1/auth/login', { body: { username: 'fred', password: STRONG_PASSWORD } });
    const restricted = expectProblem(denied, 403, 'password_expired').restrictedToken as string;

    // the restricted token does not let the same password be kept
    expectFieldError(await change({ password: STRONG_PASSWORD }, restricted), 'password');
    const res = await change({ password: 'fred has a new passphrase' }, restricted);
    expect(res.statusCode, res.body).toBe(200);
    const pair = res.json<ChangeAnswer>();
    expect(decodeJwt(pair.access_token).token_use).toBe('access');
    expect((await t.request('GET', '/v1/user/profile', { token: pair.access_token })).statusCode).toBe(200);
    await login(t, 'fred', 'fred has a new passphrase');
  });

  it('expires the restricted token after 10 minutes', async () => {
    await registerUser(t, 'gina');
    const user = await t.app.core.store.users.findByUsernameKey('gina');
    await t.app.core.store.users.update(user!.id, { passwordExpiresAt: t.clock.now() - 1 });
    const denied = await t.request('POST', '/v1/auth/login', { body: { username: 'gina', password: STRONG_PASSWORD } });
    const restricted = expectProblem(denied, 403).restrictedToken as string;
    t.clock.advanceSeconds(11 * 60);
    expectProblem(await change({ password: 'gina has a new passphrase' }, restricted), 401, 'invalid_token');
  });
});

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
let alice: TokenPair;
let apiKey: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await registerUser(t, 'alice', STRONG_PASSWORD, { email: 'alice@example.com' });
  const res = await t.request('POST', '/authheader/add', { token: alice.access_token, body: { name: 'ci' } });
  if (res.statusCode !== 200) throw new Error(`authheader/add: ${res.statusCode} ${res.body}`);
  apiKey = res.json<{ token: string }>().token;
});
afterAll(async () => t.close());

const exchange = (token: unknown) => t.request('POST', '/v1/auth/token', { body: { token } });

describe('POST /v1/auth/token', () => {
  it("trades an API key for a token pair of the key's owner", async () => {
    const res = await exchange(apiKey);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const pair = res.json<TokenPair>();
    expect(pair.token_type).toBe('Bearer');
    expect(decodeJwt(pair.access_token).sub).toBe(decodeJwt(alice.access_token).sub);
    const refreshed = await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } });
    expect(refreshed.statusCode).toBe(200);
    const sessions = await t.request('GET', '/v1/user/sessions', { token: pair.access_token });
    expect(sessions.json<unknown[]>()).toHaveLength(2);
  });

  it('answers 401 for unknown keys, deleted keys, our own JWTs and refresh tokens', async () => {
    const forged = `tsk_${'A'.repeat(32)}`;
    const first = expectProblem(await exchange(forged), 401, 'invalid_credentials');
    expect(first.detail).not.toContain(forged);
    expectProblem(await exchange(alice.access_token), 401, 'invalid_credentials');
    expectProblem(await exchange(alice.refresh_token), 401, 'invalid_credentials');

    const add = await t.request('POST', '/authheader/add', { token: alice.access_token, body: { name: 'short-lived' } });
    const doomed = add.json<{ token: string }>().token;
    expect((await exchange(doomed)).statusCode).toBe(200);
    const del = await t.request('POST', '/authheader/delete', { token: alice.access_token, body: { text: doomed } });
    expect(del.statusCode).toBe(200);
    expectProblem(await exchange(doomed), 401, 'invalid_credentials');
  });

  it('validates the body', async () => {
    expectFieldError(await t.request('POST', '/v1/auth/token', { body: {} }), 'token');
    expectFieldError(await exchange(''), 'token');
    expectFieldError(await exchange(12), 'token');
    expectFieldError(await exchange('x'.repeat(4097)), 'token');
  });
});

describe('API keys on the native surface', () => {
  it('authenticate as their owner on the profile, in every accepted header form', async () => {
    const forms: Record<string, string>[] = [{ authorization: `Bearer ${apiKey}` }, { authorization: `ApiKey ${apiKey}` }, { 'x-api-key': apiKey }];
    for (const headers of forms) {
      const res = await t.request('GET', '/v1/user/profile', { headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ username: string }>().username).toBe('alice');
    }
  });

  it('cannot change the password (403), and the password stays', async () => {
    const res = await t.request('POST', '/v1/user/password/change', {
      headers: { authorization: `Bearer ${apiKey}` },
      body: { oldPassword: STRONG_PASSWORD, password: 'a password set with a key' },
    });
    expectProblem(res, 403, 'forbidden');
    const login = await t.request('POST', '/v1/auth/login', { body: { username: 'alice', password: STRONG_PASSWORD } });
    expect(login.statusCode).toBe(200);
  });

  it('stop working when deleted, and never reach the log', async () => {
    const add = await t.request('POST', '/authheader/add', { token: alice.access_token, body: { name: 'temp' } });
    const temp = add.json<{ token: string }>().token;
    expect((await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': temp } })).statusCode).toBe(200);
    await t.request('POST', '/authheader/delete', { token: alice.access_token, body: { text: temp } });
    expectProblem(await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': temp } }), 401, 'invalid_token');
    await t.app.core.tasks.drain();
    const logs = t.logs.join('');
    for (const secret of [apiKey, temp]) expect(logs).not.toContain(secret);
  });
});

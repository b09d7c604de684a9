import { decodeProtectedHeader, importJWK, importSPKI, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, mailsTo, newMailTo, type TokenPair } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
let pair: TokenPair;
beforeAll(async () => {
  t = await createTestApp();
  pair = await registerUser(t, 'alice');
});
afterAll(async () => t.close());

const NATIVE_PATHS = [
  '/v1/user',
  '/v1/user/profile',
  '/v1/user/address',
  '/v1/user/password/restore',
  '/v1/user/resendEmail',
  '/v1/user/confirm/{code}',
  '/v1/user/password/reset',
  '/v1/user/password/change',
  '/v1/user/email/verify',
  '/v1/user/email/verify/{code}',
  '/v1/user/sessions',
  '/v1/user/sessions/{id}',
  '/v1/auth/login',
  '/v1/auth/token',
  '/v1/auth/refresh',
  '/v1/auth/logout',
  '/v1/auth/publicKey',
];

describe('keys', () => {
  it('GET /v1/auth/publicKey answers a PEM that verifies our tokens', async () => {
    const res = await t.request('GET', '/v1/auth/publicKey');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-pem-file/);
    expect(res.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/);
    const key = await importSPKI(res.body, 'RS256');
    const { payload, protectedHeader } = await jwtVerify(pair.access_token, key, {
      issuer: 'http://tessera.test',
      audience: 'tessera',
      currentDate: new Date(t.clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ username: 'alice', roles: [], accounts: [], email: null, email_verified: false });
    expect(Object.keys(payload)).toEqual(expect.arrayContaining(['iss', 'sub', 'aud', 'iat', 'exp', 'jti']));
  });

  it('GET /.well-known/jwks.json holds the kid of our tokens', async () => {
    const res = await t.request('GET', '/.well-known/jwks.json');
    expect(res.statusCode).toBe(200);
    const { keys } = res.json<{ keys: (JWK & { kid: string })[] }>();
    const { kid } = decodeProtectedHeader(pair.access_token);
    const jwk = keys.find((k) => k.kid === kid);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    await jwtVerify(pair.access_token, await importJWK(jwk!, 'RS256'), { currentDate: new Date(t.clock.now()) });
  });
});

describe('operational endpoints', () => {
  it('GET /healthz and /readyz answer ok', async () => {
    expect((await t.request('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.request('GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('GET /openapi.json lists every native /v1 path', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(NATIVE_PATHS));
    expect(Object.keys(doc.paths['/v1/user/sessions/{id}']!)).toContain('delete');
    expect(Object.keys(doc.paths['/v1/user/email/verify']!)).toContain('post');
  });

  it('answers an unknown route with a 404 problem, a known one with another method with a 405', async () => {
    expectProblem(await t.request('GET', '/v1/nothing-here'), 404, 'not_found');
    expectProblem(await t.request('PUT', '/v1/user/profile', { token: pair.access_token }), 405, 'method_not_allowed');
  });

  it('answers undecodable URLs and over-long path parameters with problem JSON that does not echo the path', async () => {
    const bad = await t.request('GET', '/v1/user/confirm/%E0%A4%A');
    expectProblem(bad, 400, 'invalid_input');
    const long = await t.request('GET', `/v1/user/confirm/${'s'.repeat(600)}`);
    expectProblem(long, 414, 'invalid_input');
    expect(long.body).not.toContain('s'.repeat(600));
    for (const res of [bad, long]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers).not.toHaveProperty('x-powered-by');
    }
  });
});

describe('headers on every response', () => {
  it('sets nosniff, hides X-Powered-By and never caches tokens, profiles or problems', async () => {
    const responses = [
      await t.request('POST', '/v1/auth/login', { body: { username: 'alice', password: STRONG_PASSWORD } }),
      await t.request('GET', '/v1/user/profile', { token: pair.access_token }),
      await t.request('POST', '/v1/auth/refresh', { body: { token: 'unknown' } }),
      await t.request('GET', '/v1/user/profile'),
      await t.request('GET', '/healthz'),
      await t.request('GET', '/v1/auth/publicKey'),
      await t.request('POST', '/v1/user', { body: 'x', headers: { 'content-type': 'text/plain' } }),
      await t.request('POST', '/v1/user', { body: { name: 'n'.repeat(70_000) } }),
      await t.request('GET', '/healthz', { headers: { 'x-nugios-timezone': 'abc' } }),
    ];
    expect(responses.slice(6).map((r) => r.statusCode)).toEqual([415, 413, 400]);
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers).not.toHaveProperty('x-powered-by');
      expect(res.headers['x-request-id']).toBeTruthy();
    }
    for (const res of [...responses.slice(0, 4), ...responses.slice(6)]) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const given = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const bad = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'a b\tc' } });
    expect(bad.headers['x-request-id']).not.toBe('a b\tc');
  });
});

describe('logs', () => {
  it('never hold a password, token or code used in a full flow', async () => {
    const secrets: string[] = [STRONG_PASSWORD, pair.access_token, pair.refresh_token];
    const bob = await registerUser(t, 'bob', STRONG_PASSWORD, { email: 'bob@example.com' });
    const session = await login(t, 'bob');
    const rotated = (await t.request('POST', '/v1/auth/refresh', { body: { token: session.refresh_token } })).json<TokenPair>();
    await t.request('POST', '/v1/auth/refresh', { body: { token: session.refresh_token } }); // reuse
    await t.request('POST', '/v1/auth/login', { body: { username: 'bob', password: 'a wrong password!' } });
    await t.request('GET', '/v1/user/profile', { headers: { authorization: `Bearer ${bob.access_token}` } });
    const seen = await mailsTo(t, 'bob@example.com');
    await t.request('POST', '/v1/user/password/restore', { body: { email: 'bob@example.com' } });
    const code = codeFromMail(await newMailTo(t, 'bob@example.com', seen));
    const confirmed = (await t.request('GET', `/v1/user/confirm/${code}`)).json<{ token: string }>();
    const reset = await t.request('POST', '/v1/user/password/reset', { body: { token: confirmed.token, password: 'bob has a new passphrase' } });
    expect(reset.statusCode).toBe(200);
    const changed = await t.request('POST', '/v1/user/password/change', {
      body: { username: 'bob', oldPassword: 'bob has a new passphrase', password: 'bob has a third passphrase' },
    });
    expect(changed.statusCode).toBe(200);
    const verifySeen = await mailsTo(t, 'bob@example.com');
    const changedPair = changed.json<TokenPair>();
    await t.request('POST', '/v1/user/email/verify', { token: changedPair.access_token });
    const verifyCode = codeFromMail(await newMailTo(t, 'bob@example.com', verifySeen), '/verify-email/');
    expect((await t.request('GET', `/v1/user/email/verify/${verifyCode}`)).statusCode).toBe(200);
    await t.request('POST', '/v1/auth/logout', { body: { token: changedPair.refresh_token } });
    await t.app.core.tasks.drain();

    secrets.push(bob.access_token, bob.refresh_token, session.access_token, session.refresh_token, rotated.refresh_token);
    secrets.push('a wrong password!', code, confirmed.token, 'bob has a new passphrase', 'bob has a third passphrase');
    secrets.push(verifyCode, changedPair.access_token, changedPair.refresh_token);
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('/v1/user/confirm/[REDACTED]');
    for (const secret of secrets) expect(logs, `a secret reached the log`).not.toContain(secret);
    // the signature alone must not be there either
    expect(logs).not.toContain(pair.access_token.split('.')[2]!);
  });
});

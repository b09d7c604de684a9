import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

interface TokenInfo {
  header: { typ: string; alg: string; [k: string]: unknown };
  payload: Record<string, unknown>;
}

interface Me {
  id: string;
  created: number;
  email: string | null;
  termsAndConditions: boolean;
  updated: number;
  verified: boolean;
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function iotToken(username: string, password = STRONG_PASSWORD): Promise<string> {
  const res = await t.request('POST', '/v1/api/auth/token', { body: { username, password }, headers: { 'content-type': 'application/json' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

describe('iot (seed 003): POST /v1/api/auth/token', () => {
  it('answers {token}: an RS256 JWT valid 24 h', async () => {
    const registered = await registerUser(t, 'user@example.com', STRONG_PASSWORD, { termsAndConditions: true });
    const res = await t.request('POST', '/v1/api/auth/token', { body: { username: 'user@example.com', password: STRONG_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ token: string }>();
    expect(Object.keys(body)).toEqual(['token']);
    const header = decodeProtectedHeader(body.token);
    expect(header.typ).toBe('at+jwt');
    expect(header.alg).toBe('RS256');
    expect(typeof header.kid).toBe('string');
    const claims = decodeJwt(body.token);
    expect(claims.exp! - claims.iat!).toBe(86_400);
    expect(claims.iat).toBe(Math.floor(t.clock.now() / 1000));
    expect(claims.sub).toBe(decodeJwt(registered.access_token).sub);
    expect(claims.accounts).toEqual([]);
    expect(claims.roles).toEqual([]);
  });

  it('stays valid for 24 h and no longer', async () => {
    await registerUser(t, 'day-long');
    const token = await iotToken('day-long');
    t.clock.advanceSeconds(23 * 3600);
    expect((await t.request('GET', '/v1/api/auth/me', { token })).statusCode).toBe(200);
    t.clock.advanceSeconds(3600 + 31);
    expectProblem(await t.request('GET', '/v1/api/auth/me', { token }), 401, 'invalid_token');
  });

  it('lives IOT_TOKEN_TTL seconds when configured', async () => {
    const short = await createTestApp({ IOT_TOKEN_TTL: '3600' });
    try {
      await registerUser(short, 'short-lived');
      const res = await short.request('POST', '/v1/api/auth/token', { body: { username: 'short-lived', password: STRONG_PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      const claims = decodeJwt(res.json<{ token: string }>().token);
      expect(claims.exp! - claims.iat!).toBe(3600);
    } finally {
      await short.close();
    }
  });

  it('answers wrong credentials with 401 and a missing field with 400', async () => {
    await registerUser(t, 'iot-wrong');
    expectProblem(await t.request('POST', '/v1/api/auth/token', { body: { username: 'iot-wrong', password: 'not the passphrase' } }), 401);
    expectProblem(await t.request('POST', '/v1/api/auth/token', { body: { username: 'iot-ghost', password: STRONG_PASSWORD } }), 401);
    const missing = expectProblem(await t.request('POST', '/v1/api/auth/token', { body: { username: 'iot-wrong' } }), 400);
    expect(missing.errors?.map((e) => e.field)).toContain('password');
  });

  it('reflects a membership change when called again ("this call also refreshes the token")', async () => {
    await registerUser(t, 'member');
    const before = await iotToken('member');
    const userId = decodeJwt(before).sub!;
    const account = await t.app.core.accounts.create('Plant 7', {});
    await t.app.core.accounts.putMember(account.id, userId, 'admin', {});
    t.clock.advanceSeconds(1);
    const after = await iotToken('member');
    expect(decodeJwt(after).accounts).toEqual([{ id: account.id, role: 'admin' }]);
    expect(decodeJwt(before).accounts).toEqual([]);
  });
});

describe('iot (seed 003): GET /v1/api/auth/tokenInfo', () => {
  it('answers the decoded token with exp and iat as ISO date-times', async () => {
    await registerUser(t, 'inspector');
    const token = await iotToken('inspector');
    const claims = decodeJwt(token);
    const res = await t.request('GET', '/v1/api/auth/tokenInfo', { token });
    expect(res.statusCode, res.body).toBe(200);
    const info = res.json<TokenInfo>();
    expect(Object.keys(info).sort()).toEqual(['header', 'payload']);
    expect(info.header).toEqual(decodeProtectedHeader(token));
    expect(info.header.typ).toBe('at+jwt');
    expect(info.header.alg).toBe('RS256');
    expect(info.payload.jti).toBe(claims.jti);
    expect(info.payload.iss).toBe(claims.iss);
    expect(info.payload.sub).toBe(claims.sub);
    expect(info.payload.username).toBe('inspector');
    expect(info.payload.exp).toMatch(ISO_UTC);
    expect(info.payload.iat).toMatch(ISO_UTC);
    expect(info.payload.exp).toBe(new Date(claims.exp! * 1000).toISOString());
    expect(info.payload.iat).toBe(new Date(claims.iat! * 1000).toISOString());
  });

  it('renders the times in the X-nugios-timezone offset', async () => {
    await registerUser(t, 'inspector-tz');
    const token = await iotToken('inspector-tz');
    const exp = decodeJwt(token).exp! * 1000;
    const res = await t.request('GET', '/v1/api/auth/tokenInfo', { token, headers: { 'x-nugios-timezone': '240' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TokenInfo>().payload.exp).toBe(`${new Date(exp + 4 * 3600_000).toISOString().slice(0, 23)}+04:00`);
  });

  it('describes tokens of the other surfaces too, and refuses an API key with 400', async () => {
    const pair = await registerUser(t, 'keyholder');
    const info = await t.request('GET', '/v1/api/auth/tokenInfo', { token: pair.access_token });
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json<TokenInfo>().payload.sub).toBe(decodeJwt(pair.access_token).sub);

    const key = (await t.request('POST', '/authheader/add', { token: pair.access_token, body: { name: 'k' } })).json<{ token: string }>();
    expectProblem(await t.request('GET', '/v1/api/auth/tokenInfo', { token: key.token }), 400);
  });

  it('answers 401 without a token or with a forged one', async () => {
    expectProblem(await t.request('GET', '/v1/api/auth/tokenInfo'), 401);
    const token = await iotToken('inspector');
    const [h, p] = token.split('.');
    expectProblem(await t.request('GET', '/v1/api/auth/tokenInfo', { token: `${h}.${p}.AAAA` }), 401);
  });
});

describe('iot (seed 003): GET /v1/api/auth/me', () => {
  it('answers id, created, email, termsAndConditions, updated, verified with the seed types', async () => {
    const registeredAt = t.clock.now();
    await registerUser(t, 'terms@example.com', STRONG_PASSWORD, { termsAndConditions: true });
    const token = await iotToken('terms@example.com');
    const res = await t.request('GET', '/v1/api/auth/me', { token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const me = res.json<Me>();
    expect(Object.keys(me).sort()).toEqual(['created', 'email', 'id', 'termsAndConditions', 'updated', 'verified']);
    expect(me.id).toBe(decodeJwt(token).sub);
    expect(me.created).toBe(registeredAt);
    expect(Number.isInteger(me.updated)).toBe(true);
    expect(me.updated).toBeGreaterThanOrEqual(me.created);
    expect(me.email).toBe('terms@example.com');
    expect(me.termsAndConditions).toBe(true);
    expect(me.verified).toBe(false);
  });

  it('moves updated (not created) on a change, and says verified once the email is', async () => {
    const pair = await registerUser(t, 'changer@example.com');
    const before = (await t.request('GET', '/v1/api/auth/me', { token: pair.access_token })).json<Me>();
    expect(before.updated).toBe(before.created);
    t.clock.advanceSeconds(10);
    const changed = await t.request('POST', '/v1/user/password/change', {
      token: pair.access_token,
      body: { oldPassword: STRONG_PASSWORD, password: 'a changed passphrase for me' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    await t.app.core.store.users.update(before.id, { emailVerified: true });
    const after = (await t.request('GET', '/v1/api/auth/me', { token: await iotToken('changer@example.com', 'a changed passphrase for me') })).json<Me>();
    expect(after.created).toBe(before.created);
    expect(after.updated).toBe(t.clock.now());
    expect(after.verified).toBe(true);
  });

  it('answers termsAndConditions false when not accepted, and 401 without a token', async () => {
    const pair = await registerUser(t, 'no-terms');
    const me = (await t.request('GET', '/v1/api/auth/me', { token: pair.access_token })).json<Me>();
    expect(me.termsAndConditions).toBe(false);
    expect(me.email).toBeNull();
    expectProblem(await t.request('GET', '/v1/api/auth/me'), 401);
  });
});

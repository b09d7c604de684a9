import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * One user store, one token format: a token from any login surface works on every protected
 * route of every surface, and so does an API key in each of its three header forms.
 */
let t: TestApp;
let userId: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const registered = await registerUser(t, 'everywhere', STRONG_PASSWORD, { email: 'everywhere@example.com', name: 'Eve Where' });
  userId = decodeJwt(registered.access_token).sub!;
  tokens['POST /v1/user'] = registered.access_token;

  const credentials = { username: 'everywhere', password: STRONG_PASSWORD };
  const native = await t.request('POST', '/v1/auth/login', { body: credentials });
  tokens['POST /v1/auth/login'] = native.json<TokenPair>().access_token;
  const integration = await t.request('POST', '/api/Auth/Auth', { body: { login: 'everywhere', password: STRONG_PASSWORD } });
  tokens['POST /api/Auth/Auth'] = integration.json<{ accessToken: string }>().accessToken;
  const seed001 = await t.request('POST', '/user/login', { body: credentials });
  tokens['POST /user/login'] = seed001.json<{ Token: string }>().Token;
  const iot = await t.request('POST', '/v1/api/auth/token', { body: credentials });
  tokens['POST /v1/api/auth/token'] = iot.json<{ token: string }>().token;
  for (const [surface, token] of Object.entries(tokens)) {
    if (typeof token !== 'string') throw new Error(`no token from ${surface}`);
  }
});
afterAll(async () => t.close());

const SURFACES = ['POST /v1/user', 'POST /v1/auth/login', 'POST /api/Auth/Auth', 'POST /user/login', 'POST /v1/api/auth/token'];

type HeaderMap = Record<string, string>;
/** Each protected route, with a check that it answered for the right user. */
const ROUTES: { name: string; call: (headers: HeaderMap) => ReturnType<TestApp['request']>; check: (body: unknown) => void }[] = [
  {
    name: 'GET /v1/user/profile',
    call: (headers) => t.request('GET', '/v1/user/profile', { headers }),
    check: (body) => expect(body).toMatchObject({ id: userId, username: 'everywhere', name: 'Eve Where' }),
  },
  {
    name: 'POST /v1/user/address',
    call: (headers) => t.request('POST', '/v1/user/address', { headers, body: { address: '1 Main St', type: 'home' } }),
    check: (body) => expect(typeof (body as { addressId: unknown }).addressId).toBe('string'),
  },
  {
    name: 'GET /authheader/list',
    call: (headers) => t.request('GET', '/authheader/list', { headers }),
    check: (body) => expect(Array.isArray(body)).toBe(true),
  },
  {
    name: 'GET /v1/api/auth/me',
    call: (headers) => t.request('GET', '/v1/api/auth/me', { headers }),
    check: (body) => expect(body).toMatchObject({ id: userId, email: 'everywhere@example.com' }),
  },
  {
    name: 'GET /v1/api/auth/tokenInfo',
    call: (headers) => t.request('GET', '/v1/api/auth/tokenInfo', { headers }),
    check: (body) => expect((body as { payload: { sub: string } }).payload.sub).toBe(userId),
  },
];

describe('a token from every login surface works on every protected route', () => {
  for (const surface of SURFACES) {
    for (const route of ROUTES) {
      it(`${surface} -> ${route.name}`, async () => {
        const token = tokens[surface]!;
        expect(decodeJwt(token).sub).toBe(userId);
        const res = await route.call({ authorization: `Bearer ${token}` });
        expect(res.statusCode, res.body).toBe(200);
        route.check(res.json());
      });
    }
  }

  for (const route of ROUTES) {
    it(`a bare "Authorization: <jwt>" (seed 001's form) -> ${route.name}`, async () => {
      const res = await route.call({ authorization: tokens['POST /user/login']! });
      expect(res.statusCode, res.body).toBe(200);
      route.check(res.json());
    });

    it(`no token or a tampered token -> ${route.name} is 401`, async () => {
      const [h, p] = tokens['POST /v1/auth/login']!.split('.');
      expectProblem(await route.call({}), 401);
      expectProblem(await route.call({ authorization: `Bearer ${h}.${p}.c2lnbmF0dXJl` }), 401);
    });
  }
});

describe('an API key authenticates as its owner', () => {
  let key: string;
  beforeAll(async () => {
    const res = await t.request('POST', '/authheader/add', { token: tokens['POST /v1/auth/login']!, body: { name: 'cross' } });
    expect(res.statusCode, res.body).toBe(200);
    key = res.json<{ token: string }>().token;
  });

  const forms: Record<string, (key: string) => Record<string, string>> = {
    'Authorization: Bearer': (k) => ({ authorization: `Bearer ${k}` }),
    'Authorization: ApiKey': (k) => ({ authorization: `ApiKey ${k}` }),
    'X-API-Key': (k) => ({ 'x-api-key': k }),
  };

  for (const [form, headers] of Object.entries(forms)) {
    it(`via ${form} on /v1/user/profile and /v1/api/auth/me`, async () => {
      const profile = await t.request('GET', '/v1/user/profile', { headers: headers(key) });
      expect(profile.statusCode, profile.body).toBe(200);
      expect(profile.json<{ id: string }>().id).toBe(userId);
      const me = await t.request('GET', '/v1/api/auth/me', { headers: headers(key) });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json<{ id: string }>().id).toBe(userId);
    });

    it(`via ${form} with a wrong key is 401`, async () => {
      const wrong = `tsk_${'A'.repeat(32)}`;
      expectProblem(await t.request('GET', '/v1/user/profile', { headers: headers(wrong) }), 401);
      expectProblem(await t.request('GET', '/v1/api/auth/me', { headers: headers(wrong) }), 401);
    });
  }

  it('POST /v1/auth/token trades the key for a token pair of its owner', async () => {
    const res = await t.request('POST', '/v1/auth/token', { body: { token: key } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const pair = res.json<TokenPair>();
    expect(Object.keys(pair).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(pair.token_type).toBe('Bearer');
    expect(decodeJwt(pair.access_token).sub).toBe(userId);
    expect(decodeJwt(pair.access_token).username).toBe('everywhere');
    expect((await t.request('GET', '/v1/api/auth/me', { token: pair.access_token })).statusCode).toBe(200);
    const refreshed = await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
  });

  it('POST /v1/auth/token with garbage, a wrong key or a JWT of ours is 401', async () => {
    for (const token of ['garbage', `tsk_${'B'.repeat(32)}`, tokens['POST /v1/auth/login']!]) {
      expectProblem(await t.request('POST', '/v1/auth/token', { body: { token } }), 401);
    }
    expectProblem(await t.request('POST', '/v1/auth/token', { body: {} }), 400);
  });
});

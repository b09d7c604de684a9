import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * `X-nugios-timezone: <minutes east of UTC>` (seed 000) is accepted on every request: an integer
 * in -720..840 shifts rendered date-times into that offset; anything else is a 400 on any route.
 */
let t: TestApp;
let registeredAt: number;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  // A fixed instant, so the shifted date is predictable (also across midnight).
  t.clock.advance(Date.UTC(2024, 5, 15, 22, 30, 0) - t.clock.now());
  registeredAt = t.clock.now();
  token = (await registerUser(t, 'tz-user')).access_token;
  t.clock.advanceSeconds(60);
});
afterAll(async () => t.close());

const seedLogin = (headers: Record<string, string> = {}) =>
  t.request('POST', '/user/login', { body: { username: 'tz-user', password: STRONG_PASSWORD }, headers });

describe('X-nugios-timezone shifts rendered date-times', () => {
  it('without the header, seed 001 Created is UTC with no offset', async () => {
    const res = await seedLogin();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ Created: string }>().Created).toBe('2024-06-15T22:30:00');
  });

  it('240 shifts Created by +4 h and keeps the seed form: local time, no offset suffix', async () => {
    const res = await seedLogin({ 'x-nugios-timezone': '240' });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json<{ Created: string }>().Created;
    expect(created).toBe('2024-06-16T02:30:00');
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    // It is the instant's wall-clock time at +04:00.
    expect(Date.parse(`${created}+04:00`)).toBe(registeredAt);
  });

  it('-330 shifts Created by -5:30, no offset suffix', async () => {
    const res = await seedLogin({ 'x-nugios-timezone': '-330' });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json<{ Created: string }>().Created;
    expect(created).toBe('2024-06-15T17:00:00');
    expect(Date.parse(`${created}-05:30`)).toBe(registeredAt);
  });

  it('0, and the bounds -720 and 840, are accepted', async () => {
    expect((await seedLogin({ 'x-nugios-timezone': '0' })).json<{ Created: string }>().Created).toBe('2024-06-15T22:30:00');
    expect((await seedLogin({ 'x-nugios-timezone': '-720' })).json<{ Created: string }>().Created).toBe('2024-06-15T10:30:00');
    expect((await seedLogin({ 'x-nugios-timezone': '840' })).json<{ Created: string }>().Created).toBe('2024-06-16T12:30:00');
  });

  it('shifts the created time of an API key too, in the seed form', async () => {
    const res = await t.request('POST', '/authheader/add', { token, body: { name: 'tz-key' }, headers: { 'x-nugios-timezone': '240' } });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json<{ created: string }>().created;
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(Date.parse(`${created}+04:00`)).toBe(Math.floor(t.clock.now() / 1000) * 1000);
  });

  it('renders the other surfaces in ISO 8601 with the offset (seed 002 confirm is covered in native-recovery)', async () => {
    const res = await t.request('GET', '/v1/api/auth/tokenInfo', { token, headers: { 'x-nugios-timezone': '240' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ payload: { exp: string } }>().payload.exp).toMatch(/\+04:00$/);
  });

  it('leaves epoch-millisecond fields (seed 003 me) as they are', async () => {
    const res = await t.request('GET', '/v1/api/auth/me', { token, headers: { 'x-nugios-timezone': '240' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ created: number }>().created).toBe(registeredAt);
  });
});

describe('an invalid X-nugios-timezone is a 400 naming the header', () => {
  const INVALID = ['abc', '1.5', '100000', '841', '-721', '', '240abc', '0x10'];
  const ROUTES: { name: string; send: (headers: Record<string, string>) => ReturnType<TestApp['request']> }[] = [
    { name: 'GET /healthz', send: (headers) => t.request('GET', '/healthz', { headers }) },
    { name: 'POST /user/login', send: (headers) => seedLogin(headers) },
    {
      name: 'POST /api/Auth/Auth',
      send: (headers) => t.request('POST', '/api/Auth/Auth', { body: { login: 'tz-user', password: STRONG_PASSWORD }, headers }),
    },
    { name: 'GET /v1/user/profile', send: (headers) => t.request('GET', '/v1/user/profile', { token, headers }) },
    { name: 'GET /v1/api/auth/me', send: (headers) => t.request('GET', '/v1/api/auth/me', { token, headers }) },
    { name: 'GET /authheader/list', send: (headers) => t.request('GET', '/authheader/list', { token, headers }) },
  ];

  for (const route of ROUTES) {
    it(`${route.name}`, async () => {
      for (const value of INVALID) {
        const res = await route.send({ 'x-nugios-timezone': value });
        const body = expectFieldError(res, 'X-nugios-timezone');
        expect(body.code, value).toBe('invalid_input');
        expect(res.body).not.toMatch(/"Token"|accessToken|access_token/);
      }
    });
  }

  it('the same routes answer normally with a valid header', async () => {
    for (const route of ROUTES) {
      const res = await route.send({ 'x-nugios-timezone': '240' });
      expect(res.statusCode, `${route.name}: ${res.body}`).toBe(200);
    }
  });

  it('is checked before authentication: no token and a bad header is still the 400', async () => {
    expectFieldError(await t.request('GET', '/v1/user/profile', { headers: { 'x-nugios-timezone': 'abc' } }), 'X-nugios-timezone');
  });
});

/**
 * Registration throttling, black-box: POST /v1/user costs an argon2 hash, so it is limited per
 * client IP (REGISTER_RATE_PER_IP per THROTTLE_WINDOW, 3 here), answered 429 with Retry-After,
 * audited once per crossing; admin creation is not throttled; 0 turns the limit off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { freshIp, requestFrom } from '../support/client-ip.js';
import { expectProblem, login } from '../support/native-helpers.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const FAST = { ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1' };
const ADMIN = { username: 'gatekeeper', password: 'a long admin passphrase for tests' };
const LIMIT = 3;
const WINDOW_SECONDS = 900;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ ...FAST, REGISTER_RATE_PER_IP: String(LIMIT), TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
});
afterAll(async () => t.close());

/** A fresh admin token: the tests move the clock past token lifetimes. */
const adminToken = async () => (await login(t, ADMIN.username, ADMIN.password)).access_token;

const register = (ip: string, username: string) => requestFrom(t, ip, 'POST', '/v1/user', { body: { username, password: STRONG_PASSWORD } });

async function throttledEvents(ip: string): Promise<unknown[]> {
  const res = await t.request('GET', '/v1/admin/audit?limit=500', { token: await adminToken() });
  const { events } = res.json<{ events: Array<{ type: string; ip: string | null; detail: Record<string, unknown> }> }>();
  return events.filter((e) => e.type === 'registration.throttled' && e.ip === ip);
}

describe('registration throttling per client IP', () => {
  it('answers the attempt after REGISTER_RATE_PER_IP with 429 and Retry-After, counting a taken username too', async () => {
    const ip = freshIp();
    expect((await register(ip, 'first-of-three')).statusCode).toBe(200);
    expect((await register(ip, 'second-of-three')).statusCode).toBe(200);
    expectProblem(await register(ip, 'FIRST-of-three'), 409, 'username_taken');
    const refused = await register(ip, 'fourth-of-three');
    expectProblem(refused, 429, 'rate_limited');
    expect(refused.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    // nothing was created for the refused attempt, and other clients are not affected
    expect((await requestFrom(t, freshIp(), 'POST', '/v1/auth/login', { body: { username: 'fourth-of-three', password: STRONG_PASSWORD } })).statusCode).toBe(401);
    expect((await register(freshIp(), 'fourth-of-three')).statusCode).toBe(200);
  });

  it('audits a flood once, and refused attempts do not extend the window', async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMIT; i++) expect((await register(ip, `flood-ok-${i}`)).statusCode).toBe(200);
    t.clock.advanceSeconds(60);
    for (let i = 0; i < 40; i++) {
      const res = await register(ip, `flood-refused-${i}`);
      expectProblem(res, 429, 'rate_limited');
      // counting down from the first refusal: a refused attempt does not push the window out
      expect(res.headers['retry-after']).toBe(String(WINDOW_SECONDS - i));
      t.clock.advanceSeconds(1);
    }
    expect(await throttledEvents(ip)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ scope: 'ip' }) })]);
    // the window runs from the first refusal (60 s after the free attempts), not from the last
    t.clock.advanceSeconds(WINDOW_SECONDS - 40 - 1);
    expect((await register(ip, 'flood-still-refused')).headers['retry-after']).toBe('1');
    t.clock.advanceSeconds(1);
    expect((await register(ip, 'flood-after-window')).statusCode).toBe(200);
  });

  it('does not throttle admin user creation from the same IP', async () => {
    const ip = freshIp();
    for (let i = 0; i <= LIMIT; i++) await register(ip, `self-${i}`);
    expectProblem(await register(ip, 'self-refused'), 429, 'rate_limited');
    const admin = await adminToken();
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await requestFrom(t, ip, 'POST', '/v1/admin/users', {
        body: { username: `made-by-admin-${i}`, password: STRONG_PASSWORD },
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
});

describe('REGISTER_RATE_PER_IP', () => {
  it('defaults to 20 per THROTTLE_WINDOW', () => {
    const { config } = loadConfig({});
    expect([config.REGISTER_RATE_PER_IP, config.THROTTLE_WINDOW]).toEqual([20, WINDOW_SECONDS]);
  });

  it('0 turns the limit off (bulk tests and imports)', async () => {
    const bulk = await createTestApp({ ...FAST, REGISTER_RATE_PER_IP: '0' });
    try {
      const ip = freshIp();
      for (let i = 0; i < 25; i++) {
        const res = await requestFrom(bulk, ip, 'POST', '/v1/user', { body: { username: `bulk-${i}`, password: STRONG_PASSWORD } });
        expect(res.statusCode, res.body).toBe(200);
      }
    } finally {
      await bulk.close();
    }
  });
});

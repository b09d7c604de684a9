/**
 * Brute-force throttling, black-box: per username (known or not) and per client IP, exponential
 * backoff after the free attempts, 429 with Retry-After on every login surface, a lock that
 * expires by itself, and mail throttling that says nothing about which addresses have accounts.
 * Defaults: LOGIN_FREE_ATTEMPTS=5, LOGIN_IP_FREE_ATTEMPTS=50, MAIL_RATE_PER_ADDRESS=3,
 * MAIL_RATE_PER_IP=20, THROTTLE_WINDOW=900 s. Each test uses its own client address.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableHeaders, freshIp, LOGIN_SURFACES, requestFrom } from '../support/client-ip.js';
import { expectProblem } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** Cheap argon2id: throttling does not depend on the hashing cost, only this file's speed does. */
const FAST = { ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1' };
const WRONG = 'not the right password';
const FREE = 5;
const IP_FREE = 50;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(FAST);
});
afterAll(async () => t.close());

const login = (ip: string, username: string, password: string, headers: Record<string, string> = {}) =>
  requestFrom(t, ip, 'POST', '/v1/auth/login', { body: { username, password }, headers });

/** `n` wrong passwords for `username` from `ip`; none of them may be throttled yet. */
async function fail(ip: string, username: string, n = FREE): Promise<LightMyRequestResponse[]> {
  const answers: LightMyRequestResponse[] = [];
  for (let i = 0; i < n; i++) answers.push(await login(ip, username, `${WRONG} ${i}`));
  for (const res of answers) expect(res.statusCode, res.body).toBe(401);
  return answers;
}

function expectThrottled(res: LightMyRequestResponse, retryAfter?: number): number {
  expectProblem(res, 429, 'rate_limited');
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  if (retryAfter !== undefined) expect(seconds).toBe(retryAfter);
  return seconds;
}

async function auditTypes(type: string): Promise<Array<Record<string, unknown>>> {
  const events = await t.app.core.store.audit.list({ limit: 10_000 });
  return events.filter((e) => e.type === type).map((e) => ({ ip: e.ip, ...e.detail }));
}

describe('per-username throttling on every login surface', () => {
  it.each(Object.entries(LOGIN_SURFACES))('%s: the 6th attempt is 429, even with the right password, alike for an unknown user', async (path, attempt) => {
    const name = `victim-${path.replace(/\W/g, '').toLowerCase()}`;
    await registerUser(t, name);
    const unknown = name.replace('victim', 'nobody');
    const answers: Record<'known' | 'unknown', LightMyRequestResponse[]> = { known: [], unknown: [] };
    for (const [kind, username] of [['known', name], ['unknown', unknown]] as const) {
      const ip = freshIp();
      for (let i = 0; i < FREE; i++) answers[kind].push(await attempt(t, ip, username, WRONG));
      answers[kind].push(await attempt(t, ip, username, WRONG), await attempt(t, ip, username, STRONG_PASSWORD));
    }
    for (const [i, known] of answers.known.entries()) {
      const other = answers.unknown[i]!;
      expect(known.statusCode, `attempt ${i + 1}: ${known.body}`).toBe(i < FREE ? (path === '/oauth2/token' ? 400 : 401) : 429);
      expect([other.statusCode, other.body, comparableHeaders(other)]).toEqual([known.statusCode, known.body, comparableHeaders(known)]);
    }
    for (const blocked of answers.known.slice(FREE)) {
      expect(blocked.headers['retry-after']).toBe('1');
      if (path === '/oauth2/token') expect(blocked.json()).toEqual({ error: 'slow_down', error_description: expect.any(String) });
      else expectThrottled(blocked, 1);
    }
  });
});

describe('backoff', () => {
  it('allows one attempt once Retry-After has passed, doubles the delay on each failure, and a success clears it', async () => {
    const ip = freshIp();
    await registerUser(t, 'doubler');
    await fail(ip, 'doubler');
    for (const delay of [1, 2, 4, 8, 16]) {
      expectThrottled(await login(ip, 'doubler', STRONG_PASSWORD), delay);
      if (delay > 1) {
        t.clock.advanceSeconds(delay - 1);
        expectThrottled(await login(ip, 'doubler', STRONG_PASSWORD), 1);
        t.clock.advanceSeconds(1);
      } else t.clock.advanceSeconds(1);
      expect((await login(ip, 'doubler', WRONG)).statusCode).toBe(401);
    }
    expectThrottled(await login(ip, 'doubler', STRONG_PASSWORD), 32);
    t.clock.advanceSeconds(32);
    expect((await login(ip, 'doubler', STRONG_PASSWORD)).statusCode).toBe(200);
    await fail(ip, 'doubler'); // the success forgot the count: five free attempts again
    expectThrottled(await login(ip, 'doubler', WRONG), 1);
  });

  it('forgets the count THROTTLE_WINDOW after the last failure, not before', async () => {
    const ip = freshIp();
    await fail(ip, 'window-user');
    t.clock.advanceSeconds(1);
    expect((await login(ip, 'window-user', WRONG)).statusCode).toBe(401); // 6 failures: next delay 2 s
    t.clock.advanceSeconds(899);
    expect((await login(ip, 'window-user', WRONG)).statusCode).toBe(401); // remembered: 7 failures
    expectThrottled(await login(ip, 'window-user', WRONG), 4);
    t.clock.advanceSeconds(900);
    await fail(ip, 'window-user', 2); // forgotten: counting starts again
  });

  it('gives a burst of parallel guesses no more than the free attempts', async () => {
    const ip = freshIp();
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => login(ip, 'burst-user', `${WRONG} ${i}`)));
    const counts = burst.map((r) => r.statusCode);
    expect(counts.filter((s) => s === 401).length).toBeLessThanOrEqual(FREE);
    expect(counts.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - FREE);
  });
});

describe('recovery while blocked', () => {
  it('lets a blocked user reset the password by mail and log in with it once the block has passed', async () => {
    const ip = freshIp();
    await registerUser(t, 'locked-out', STRONG_PASSWORD, { email: 'locked-out@example.com' });
    await fail(ip, 'locked-out');
    const retryAfter = expectThrottled(await login(ip, 'locked-out', STRONG_PASSWORD));
    expect((await requestFrom(t, ip, 'POST', '/v1/user/password/restore', { body: { email: 'locked-out@example.com' } })).statusCode).toBe(200);
    const mail = (await t.mails()).filter((m) => !Array.isArray(m.to) && m.to?.text === 'locked-out@example.com').at(-1);
    const confirm = await requestFrom(t, ip, 'GET', `/v1/user/confirm/${encodeURIComponent(codeFromMail(mail!))}`);
    expect(confirm.statusCode, confirm.body).toBe(200);
    const newPassword = 'a fresh start after the lockout';
    const token = confirm.json<{ token: string }>().token;
    const reset = await requestFrom(t, ip, 'POST', '/v1/user/password/reset', { body: { token, password: newPassword } });
    expect(reset.statusCode, reset.body).toBe(200);
    t.clock.advanceSeconds(retryAfter);
    expect((await login(ip, 'locked-out', newPassword)).statusCode).toBe(200);
  });
});

describe('per-IP throttling', () => {
  it('blocks an address after LOGIN_IP_FREE_ATTEMPTS failures across usernames, but not another address', async () => {
    const [attacker, bystander] = [freshIp(), freshIp()];
    await registerUser(t, 'ip-target');
    for (let i = 0; i < IP_FREE; i++) expect((await login(attacker, `spray-${i}`, WRONG)).statusCode).toBe(401);
    expectThrottled(await login(attacker, 'ip-target', STRONG_PASSWORD), 1);
    expect((await login(bystander, 'ip-target', STRONG_PASSWORD)).statusCode).toBe(200);
    expect(await auditTypes('login.throttled')).toContainEqual(expect.objectContaining({ ip: attacker, scope: 'ip' }));
    expect(await auditTypes('login.throttled')).toContainEqual(expect.objectContaining({ scope: 'account' }));
  });

  /** LOGIN_IP_FREE_ATTEMPTS failures through inject's default 127.0.0.1, each with its own X-Forwarded-For. */
  async function spray(app: TestApp, forwardedFor: (i: number) => string) {
    for (let i = 0; i < IP_FREE; i++) {
      const res = await requestFrom(app, '127.0.0.1', 'POST', '/v1/auth/login', {
        body: { username: `xff-${i}`, password: WRONG },
        headers: { 'x-forwarded-for': forwardedFor(i) },
      });
      expect(res.statusCode).toBe(401);
    }
  }

  it('ignores X-Forwarded-For by default: a spoofed header does not dodge the IP counter', async () => {
    const app = await createTestApp(FAST);
    try {
      await spray(app, (i) => `203.0.113.${i + 1}`);
      const res = await requestFrom(app, '127.0.0.1', 'POST', '/v1/auth/login', {
        body: { username: 'xff-new', password: WRONG },
        headers: { 'x-forwarded-for': '203.0.113.200' },
      });
      expectThrottled(res);
    } finally {
      await app.close();
    }
  });

  it('believes X-Forwarded-For from a trusted proxy (TRUST_PROXY=127.0.0.1) and counts the client behind it', async () => {
    const app = await createTestApp({ ...FAST, TRUST_PROXY: '127.0.0.1' });
    try {
      await registerUser(app, 'behind-proxy');
      await spray(app, () => '203.0.113.7');
      const from = (client: string) =>
        requestFrom(app, '127.0.0.1', 'POST', '/v1/auth/login', {
          body: { username: 'behind-proxy', password: STRONG_PASSWORD },
          headers: { 'x-forwarded-for': client },
        });
      expectThrottled(await from('203.0.113.7'));
      expect((await from('203.0.113.8')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('mail throttling', () => {
  const restore = (ip: string, email: string, path = '/v1/user/password/restore') => requestFrom(t, ip, 'POST', path, { body: { email } });

  it('answers the 4th reset request for one address with 429, the same for a known and an unknown address', async () => {
    await registerUser(t, 'mailer', STRONG_PASSWORD, { email: 'alice@example.com' });
    const fourth: LightMyRequestResponse[] = [];
    for (const email of ['alice@example.com', 'ghost@example.com']) {
      const ip = freshIp();
      for (const path of ['/v1/user/password/restore', '/v1/user/resendEmail', '/v1/user/password/restore']) {
        expect((await restore(ip, email, path)).statusCode).toBe(200);
      }
      fourth.push(await restore(ip, email));
    }
    const [known, unknown] = fourth as [LightMyRequestResponse, LightMyRequestResponse];
    expectThrottled(known);
    expect([unknown.statusCode, unknown.body, comparableHeaders(unknown)]).toEqual([known.statusCode, known.body, comparableHeaders(known)]);
    expect(await auditTypes('mail.throttled')).toContainEqual(expect.objectContaining({ scope: 'address' }));
  });

  it('limits reset requests per client address across addresses (MAIL_RATE_PER_IP)', async () => {
    const [ip, other] = [freshIp(), freshIp()];
    for (let i = 0; i < 20; i++) expect((await restore(ip, `someone-${i}@example.com`)).statusCode).toBe(200);
    expectThrottled(await restore(ip, 'one-more@example.com'));
    expect((await restore(other, 'one-more@example.com')).statusCode).toBe(200);
    expect(await auditTypes('mail.throttled')).toContainEqual(expect.objectContaining({ ip, scope: 'ip' }));
  });
});

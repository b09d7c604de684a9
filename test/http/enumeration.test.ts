/**
 * Account enumeration: every login surface and the mail-sending endpoints answer an unknown user
 * exactly like a known one (status, body, headers), and a login for an unknown user takes as long
 * as a wrong password for a known one (one argon2 verify either way).
 */
import { performance } from 'node:perf_hooks';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableHeaders, freshIp, LOGIN_SURFACES, requestFrom } from '../support/client-ip.js';
import { createTestApp, PRODUCTION_ARGON2, registerUser, type TestApp } from '../support/test-app.js';

const KNOWN = 'alice.known';
const UNKNOWN = 'alice.ghost'; // same length: nothing may differ, not even Content-Length
const KNOWN_EMAIL = 'alice@example.com';
const UNKNOWN_EMAIL = 'ghost@example.com';
const WRONG = 'definitely not her password';

let t: TestApp;
beforeAll(async () => {
  // Throttling is tested elsewhere; here it must not step in, however many failures there are.
  // Argon2 stays at its production cost: the timing defence is one full verify per attempt.
  t = await createTestApp({ ...PRODUCTION_ARGON2, LOGIN_FREE_ATTEMPTS: '1000', LOGIN_IP_FREE_ATTEMPTS: '100000', MAIL_RATE_PER_ADDRESS: '1000', MAIL_RATE_PER_IP: '100000' });
  await registerUser(t, KNOWN, undefined, { email: KNOWN_EMAIL });
});
afterAll(async () => t.close());

/** Status, body and headers, apart from the ones that differ on every request (date, request id). */
function answer(res: LightMyRequestResponse) {
  return { status: res.statusCode, body: res.body, headers: comparableHeaders(res) };
}

describe('the same answer for an unknown user', () => {
  it.each(Object.entries(LOGIN_SURFACES))('%s: unknown username and wrong password are indistinguishable', async (_path, attempt) => {
    const ip = freshIp();
    const known = await attempt(t, ip, KNOWN, WRONG);
    const unknown = await attempt(t, ip, UNKNOWN, WRONG);
    expect(known.statusCode, known.body).toBeGreaterThanOrEqual(400);
    expect(known.statusCode).toBeLessThan(500);
    expect(answer(unknown)).toEqual(answer(known));
  });

  it.each(['/v1/user/password/restore', '/v1/user/resendEmail'])('%s: known and unknown addresses get the same answer', async (path) => {
    const ip = freshIp();
    const known = await requestFrom(t, ip, 'POST', path, { body: { email: KNOWN_EMAIL } });
    const unknown = await requestFrom(t, ip, 'POST', path, { body: { email: UNKNOWN_EMAIL } });
    expect(known.statusCode).toBe(200);
    // the body echoes the address it was given; apart from that it must be the same
    expect(known.json()).toEqual({ email: KNOWN_EMAIL });
    expect(unknown.json()).toEqual({ email: UNKNOWN_EMAIL });
    expect({ ...answer(unknown), body: undefined }).toEqual({ ...answer(known), body: undefined });
  });

  it('answers alike for usernames given in another case and with spaces', async () => {
    const ip = freshIp();
    const known = await requestFrom(t, ip, 'POST', '/v1/auth/login', { body: { username: ` ${KNOWN.toUpperCase()} `, password: WRONG } });
    const unknown = await requestFrom(t, ip, 'POST', '/v1/auth/login', { body: { username: ` ${UNKNOWN.toUpperCase()} `, password: WRONG } });
    expect(known.statusCode).toBe(401);
    expect(answer(unknown)).toEqual(answer(known));
  });
});

describe('the same time for an unknown user', () => {
  const ROUNDS = 40;
  const WARM_UP = 8;

  async function timed(username: string): Promise<number> {
    const started = performance.now();
    const res = await t.request('POST', '/v1/auth/login', { body: { username, password: WRONG } });
    const elapsed = performance.now() - started;
    expect(res.statusCode).toBe(401);
    return elapsed;
  }

  function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  // A retry only forgives a burst of load from elsewhere on a small machine: without the defence the
  // ratio is several times the bound on every run.
  it(`takes as long (medians within 20%) over ${ROUNDS} interleaved attempts per class`, { timeout: 120_000, retry: 2 }, async () => {
    for (let i = 0; i < WARM_UP; i++) {
      await timed(KNOWN);
      await timed(UNKNOWN);
    }
    const wrongPassword: number[] = [];
    const unknownUser: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // alternate the order so neither class always runs right after the other
      if (i % 2 === 0) {
        wrongPassword.push(await timed(KNOWN));
        unknownUser.push(await timed(UNKNOWN));
      } else {
        unknownUser.push(await timed(UNKNOWN));
        wrongPassword.push(await timed(KNOWN));
      }
    }
    const [a, b] = [median(wrongPassword), median(unknownUser)];
    // only the ratio is asserted: absolute times depend on the machine
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThanOrEqual(1.2);
  });
});

/**
 * A bearer password change with a wrong oldPassword is a password guess: it counts in the login
 * throttle (LOGIN_FREE_ATTEMPTS, default 5), so a stolen token (e.g. seed 003's 24 h one) does not
 * buy a day of guessing. Today: 40 wrong guesses in a row, no 429.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshIp, requestFrom } from '../support/client-ip.js';
import { createProbeApp, iotLogin, type ProbeApp } from '../support/credential-probes.js';
import { expectProblem } from '../support/native-helpers.js';
import { registerUser, STRONG_PASSWORD } from '../support/test-app.js';

const FREE = 5;
const NEW_PASSWORD = 'a brand new passphrase';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

const change = (ip: string, token: string, oldPassword: string) =>
  requestFrom(p.t, ip, 'POST', '/v1/user/password/change', { headers: { authorization: `Bearer ${token}` }, body: { oldPassword, password: NEW_PASSWORD } });

function expectThrottled(res: LightMyRequestResponse): void {
  expectProblem(res, 429, 'rate_limited');
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe('POST /v1/user/password/change with a bearer token and a wrong oldPassword', () => {
  it(`after LOGIN_FREE_ATTEMPTS (${FREE}) wrong oldPasswords the next change is 429 with Retry-After, even with the right one`, async () => {
    const { access_token: token } = await registerUser(p.t, 'guessed-by-token');
    const ip = freshIp();
    for (let i = 0; i < FREE; i++) {
      const res = await change(ip, token, `wrong guess ${i}`);
      expect(res.statusCode, `guess ${i + 1}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `guess ${i + 1}: ${res.body}`).toBeLessThan(429);
    }
    expectThrottled(await change(ip, token, 'wrong guess 6'));
    expectThrottled(await change(ip, token, STRONG_PASSWORD));
  });

  it('the guesses count for the account: a login with the right password is throttled after them', async () => {
    const iot = await (async () => {
      await registerUser(p.t, 'guessed-by-iot-token');
      return iotLogin(p.t, 'guessed-by-iot-token');
    })();
    for (let i = 0; i < FREE; i++) await change(freshIp(), iot, `wrong guess ${i}`);
    const login = await requestFrom(p.t, freshIp(), 'POST', '/v1/auth/login', { body: { username: 'guessed-by-iot-token', password: STRONG_PASSWORD } });
    expectThrottled(login);
  });

  it('wrong logins and wrong oldPasswords share one counter', async () => {
    const { access_token: token } = await registerUser(p.t, 'mixed-guesses');
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      const res = await requestFrom(p.t, ip, 'POST', '/v1/auth/login', { body: { username: 'mixed-guesses', password: `wrong ${i}` } });
      expect(res.statusCode).toBe(401);
    }
    for (let i = 0; i < FREE - 3; i++) expect((await change(ip, token, `wrong change ${i}`)).statusCode).toBeLessThan(429);
    expectThrottled(await change(ip, token, 'one wrong guess too many'));
  });
});

/**
 * Single-use secrets under concurrent use: of N simultaneous requests with the same refresh
 * token, mailed code or reset token, exactly one wins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const N = 8;

let t: TestApp;

beforeAll(async () => {
  // the reset race below tries 8 passwords for one user at once: login throttling is not under test here
  t = await createTestApp({ LOGIN_FREE_ATTEMPTS: '100' });
});

afterAll(async () => {
  await t.close();
});

function statuses(responses: Array<{ statusCode: number }>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1;
  return counts;
}

const parallel = <T>(work: (i: number) => Promise<T>) => Promise.all(Array.from({ length: N }, (_, i) => work(i)));

/** Registers a user with an email, asks for a reset and answers the mailed code. */
async function mailedCode(email: string): Promise<string> {
  await registerUser(t, email);
  const restore = await t.request('POST', '/v1/user/password/restore', { body: { email } });
  expect(restore.statusCode).toBe(200);
  const mail = (await t.mails()).filter((m) => m.to && !Array.isArray(m.to) && m.to.text === email).at(-1);
  expect(mail, `a reset mail to ${email}`).toBeDefined();
  return codeFromMail(mail!);
}

describe(`${N} concurrent requests with one single-use secret`, () => {
  it('refresh: exactly one rotates, the rest are 401, and the reuse revokes the whole family', async () => {
    const { refresh_token } = await registerUser(t, 'racer-refresh');
    const responses = await parallel(() => t.request('POST', '/v1/auth/refresh', { body: { token: refresh_token } }));
    expect(statuses(responses)).toEqual({ 200: 1, 401: N - 1 });
    for (const loser of responses.filter((r) => r.statusCode !== 200)) {
      expect(loser.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(loser.headers['content-type']).toContain('application/problem+json');
    }

    // The losers presented a used token: reuse detection (session.service.ts) revokes the family,
    // so even the winner's successor token is dead.
    const winner = responses.find((r) => r.statusCode === 200)!.json<{ refresh_token: string; access_token: string }>();
    expect(winner.refresh_token).not.toBe(refresh_token);
    const next = await t.request('POST', '/v1/auth/refresh', { body: { token: winner.refresh_token } });
    expect(next.statusCode).toBe(401);

    // Another session of the same user is not part of that family and still works.
    const other = await t.request('POST', '/v1/auth/login', { body: { username: 'racer-refresh', password: STRONG_PASSWORD } });
    expect(other.statusCode).toBe(200);
    const otherRefresh = await t.request('POST', '/v1/auth/refresh', { body: { token: other.json<{ refresh_token: string }>().refresh_token } });
    expect(otherRefresh.statusCode).toBe(200);
  });

  it('one refresh at a time in a family keeps working (no false reuse detection)', async () => {
    let { refresh_token } = await registerUser(t, 'racer-serial');
    for (let i = 0; i < N; i += 1) {
      const res = await t.request('POST', '/v1/auth/refresh', { body: { token: refresh_token } });
      expect(res.statusCode).toBe(200);
      ({ refresh_token } = res.json<{ refresh_token: string }>());
    }
  });

  it('confirm: exactly one of the same mailed code gets a reset token', async () => {
    const code = await mailedCode('racer-confirm@example.com');
    const responses = await parallel(() => t.request('GET', `/v1/user/confirm/${encodeURIComponent(code)}`));
    expect(statuses(responses)).toEqual({ 200: 1, 400: N - 1 });
    const tokens = responses.filter((r) => r.statusCode === 200).map((r) => r.json<{ token: string }>().token);
    expect(tokens).toHaveLength(1);
  });

  it('reset: exactly one of the same reset token sets the password, and it is that one', async () => {
    const email = 'racer-reset@example.com';
    const code = await mailedCode(email);
    const confirm = await t.request('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
    expect(confirm.statusCode).toBe(200);
    const { token } = confirm.json<{ token: string }>();

    // Each request tries a different password, so the stored one tells which request won.
    const passwords = Array.from({ length: N }, (_, i) => `parallel reset phrase number ${i}`);
    const responses = await parallel((i) => t.request('POST', '/v1/user/password/reset', { body: { token, password: passwords[i] } }));
    expect(statuses(responses)).toEqual({ 200: 1, 400: N - 1 });

    const winner = responses.findIndex((r) => r.statusCode === 200);
    const logins = await Promise.all(
      passwords.map((password) => t.request('POST', '/v1/auth/login', { body: { username: email, password } })),
    );
    expect(logins.map((r) => r.statusCode)).toEqual(passwords.map((_, i) => (i === winner ? 200 : 401)));
    const old = await t.request('POST', '/v1/auth/login', { body: { username: email, password: STRONG_PASSWORD } });
    expect(old.statusCode).toBe(401);
  });

  it('register: exactly one of the same username (in different case) is created, the rest are 409', async () => {
    const responses = await parallel((i) =>
      t.request('POST', '/v1/user', { body: { username: i % 2 === 0 ? 'Racer-Name' : 'racer-name', password: STRONG_PASSWORD } }),
    );
    expect(statuses(responses)).toEqual({ 200: 1, 409: N - 1 });
  });
});

/**
 * A locked account answers exactly like a wrong password on every login surface, with the right
 * password too: same status, same body, same headers as a wrong password for an existing user.
 * Otherwise the lock confirms a guessed password (today: 403 account_locked).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableHeaders, freshIp, LOGIN_SURFACES } from '../support/client-ip.js';
import { createProbeApp, subjectOf, type ProbeApp } from '../support/credential-probes.js';
import { registerUser, STRONG_PASSWORD } from '../support/test-app.js';

const WRONG = 'not the right passphrase';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

const comparable = (res: LightMyRequestResponse) => [res.statusCode, res.body, comparableHeaders(res)];

describe.each(Object.entries(LOGIN_SURFACES))('%s', (path, attempt) => {
  const slug = path.replace(/\W/g, '').toLowerCase();

  it('a locked account with the right password answers exactly like a wrong password', async () => {
    const locked = await registerUser(p.t, `locked-${slug}`);
    await registerUser(p.t, `open-${slug}`);
    const lock = await p.t.request('PATCH', `/v1/admin/users/${subjectOf(locked.access_token)}`, { token: p.adminToken, body: { locked: true } });
    expect(lock.statusCode, lock.body).toBe(200);

    const wrong = await attempt(p.t, freshIp(), `open-${slug}`, WRONG);
    expect(wrong.statusCode, wrong.body).toBe(path === '/oauth2/token' ? 400 : 401);
    const right = await attempt(p.t, freshIp(), `locked-${slug}`, STRONG_PASSWORD);
    expect(comparable(right), `locked + right password on ${path}`).toEqual(comparable(wrong));
    const lockedWrong = await attempt(p.t, freshIp(), `locked-${slug}`, WRONG);
    expect(comparable(lockedWrong), `locked + wrong password on ${path}`).toEqual(comparable(wrong));
  });
});

/**
 * The mail throttle, black-box: email-verification mail counts like reset mail (per address and per
 * client IP, MAIL_RATE_PER_ADDRESS=3 and MAIL_RATE_PER_IP=20 by default), and a flood of refused
 * requests keeps the throttle state and the audit table bounded: it creates no counters, extends
 * no window and writes one `mail.throttled` row per crossing, not one per request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryThrottleStore } from '../../src/infra/throttle/memory-throttle-store.js';
import { freshIp, requestFrom } from '../support/client-ip.js';
import { expectProblem, login, mailsTo } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const FAST = { ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1' };
const ADMIN = { username: 'postmaster', password: 'a long admin passphrase for tests' };
const PER_ADDRESS = 3;
const PER_IP = 20;
const WINDOW_SECONDS = 900;

let t: TestApp;
const throttleStore = new MemoryThrottleStore({ maxKeys: 100_000 });
beforeAll(async () => {
  t = await createTestApp({ ...FAST, TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` }, { throttleStore });
});
afterAll(async () => t.close());

const verify = (ip: string, headers: Record<string, string>) => requestFrom(t, ip, 'POST', '/v1/user/email/verify', { headers });
const restore = (ip: string, email: string) => requestFrom(t, ip, 'POST', '/v1/user/password/restore', { body: { email } });

/** The `mail.throttled` rows, read through the admin audit API (at most 500: more is unbounded). */
async function throttledRows(ip: string): Promise<Array<{ detail: { scope?: string } }>> {
  const admin = (await login(t, ADMIN.username, ADMIN.password)).access_token;
  const res = await t.request('GET', '/v1/admin/audit?limit=500', { token: admin });
  expect(res.statusCode, res.body).toBe(200);
  const { events } = res.json<{ events: Array<{ type: string; ip: string | null; detail: { scope?: string } }> }>();
  return events.filter((e) => e.type === 'mail.throttled' && e.ip === ip);
}

describe('email-verification mail goes through the mail throttle', () => {
  it('mails one address at most MAIL_RATE_PER_ADDRESS times per window, by API key too, sharing the count with reset mail', async () => {
    const pair = await registerUser(t, 'planter', undefined, { email: 'victim@thirdparty.example' });
    const key = (await t.request('POST', '/authheader/add', { token: pair.access_token, body: { name: 'planted' } })).json<{ token: string }>().token;
    const ip = freshIp();
    for (let i = 0; i < PER_ADDRESS; i++) expect((await verify(ip, { 'x-api-key': key })).statusCode).toBe(200);
    const refused = await verify(ip, { 'x-api-key': key });
    expectProblem(refused, 429, 'rate_limited');
    expect(refused.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expectProblem(await verify(freshIp(), { authorization: `Bearer ${pair.access_token}` }), 429, 'rate_limited');
    // a reset mail to the same address is the 4th mail too (its 200 hides whether the address is known)
    expectProblem(await restore(freshIp(), 'victim@thirdparty.example'), 429, 'rate_limited');
    expect(await mailsTo(t, 'victim@thirdparty.example')).toHaveLength(PER_ADDRESS);
  });

  it('limits verification mail per client IP across users (MAIL_RATE_PER_IP)', async () => {
    const ip = freshIp();
    const users = [];
    for (let i = 0; i <= PER_IP; i++) users.push(await registerUser(t, `verifier-${i}`, undefined, { email: `verifier-${i}@example.com` }));
    for (const user of users.slice(0, PER_IP)) expect((await verify(ip, { authorization: `Bearer ${user.access_token}` })).statusCode).toBe(200);
    expectProblem(await verify(ip, { authorization: `Bearer ${users[PER_IP]!.access_token}` }), 429, 'rate_limited');
    expect((await verify(freshIp(), { authorization: `Bearer ${users[PER_IP]!.access_token}` })).statusCode).toBe(200);
  });
});

describe('refused mail requests keep the throttle state and the audit trail bounded', () => {
  const FLOOD = 600;

  it('a flood of refused reset requests for made-up addresses from one IP adds no counters and one audit row', async () => {
    const ip = freshIp();
    for (let i = 0; i < PER_IP; i++) expect((await restore(ip, `allowed-${i}@example.com`)).statusCode).toBe(200);
    const before = throttleStore.size;
    for (let i = 0; i < FLOOD; i++) expectProblem(await restore(ip, `made-up-${i}@example.com`), 429, 'rate_limited');
    // the crossing request counted on the IP's counter only: no counter for any made-up address
    expect(throttleStore.size).toBe(before);
    expect(await throttledRows(ip)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ scope: 'ip' }) })]);
  });

  it('a flood for one address does not extend its window, and is audited once', async () => {
    const ip = freshIp();
    const address = 'hammered@example.com';
    for (let i = 0; i < PER_ADDRESS; i++) expect((await restore(ip, address)).statusCode).toBe(200);
    const before = throttleStore.size;
    for (let i = 0; i < FLOOD; i++) {
      const res = await restore(ip, address);
      expectProblem(res, 429, 'rate_limited');
      if (i % 100 === 0) t.clock.advanceSeconds(1);
    }
    expect(throttleStore.size).toBe(before);
    expect(await throttledRows(ip)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ scope: 'address' }) })]);
    // the window ends THROTTLE_WINDOW after the first refusal, however many came after it
    t.clock.advanceSeconds(WINDOW_SECONDS - FLOOD / 100);
    expect((await restore(ip, address)).statusCode).toBe(200);
  });
});

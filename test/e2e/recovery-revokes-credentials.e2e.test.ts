/**
 * The planted-key attack, black-box against the real process with real SMTP: an attacker registers
 * with the victim's address and plants an API key; the victim takes the account back by mail
 * (restore -> mail -> confirm -> reset). Afterwards the key reads nothing and buys no session, the
 * attacker's tokens are dead, and the victim is told by mail that the password changed. The
 * attacker is a seed 001 client: its header is the bare `Authorization: <token>` (the login's JWT,
 * then the key) and it sends X-nugios-timezone, whose date-times keep the seed's form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startSmtpListener, type SmtpListener } from '../support/smtp-listener.js';

const VICTIM = 'victim.owner@example.com';
const SEED_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;
const ATTACKER_PASSWORD = 'attacker chose this one';
const VICTIM_PASSWORD = 'the rightful owner is back';

let smtp: SmtpListener;
let server: ServerProcess;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const init: RequestInit = { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

beforeAll(async () => {
  smtp = await startSmtpListener();
  server = await startServer({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://auth.tessera.example', ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1', LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

describe('recovery by mail takes the account back from a planted API key (real process, real SMTP)', () => {
  let key: string;
  let attackerToken: string;
  let attackerIot: string;

  it('the attacker registers with the victim address and plants an API key that works', async () => {
    expect((await call('POST', '/v1/user', { username: VICTIM, password: ATTACKER_PASSWORD })).status).toBe(200);
    const seedLogin = await call('POST', '/user/login', { username: VICTIM, password: ATTACKER_PASSWORD }, { 'x-nugios-timezone': '240' });
    expect(seedLogin.status).toBe(200);
    attackerToken = seedLogin.json.Token;
    // Seed 001's form under X-nugios-timezone: the local time of +04:00, no fraction, no suffix.
    expect(seedLogin.json.Created).toMatch(SEED_DATE_TIME);
    expect(Math.abs(Date.parse(`${seedLogin.json.Created}+04:00`) - Date.now())).toBeLessThan(10 * 60_000);
    attackerIot = (await call('POST', '/v1/api/auth/token', { username: VICTIM, password: ATTACKER_PASSWORD })).json.token;
    const added = await call('POST', '/authheader/add', { name: 'planted' }, { authorization: attackerToken, 'x-nugios-timezone': '240' });
    expect(added.status).toBe(200);
    expect(added.json.created).toMatch(SEED_DATE_TIME);
    key = added.json.token;
    expect((await call('GET', '/v1/user/profile', undefined, { 'x-api-key': key })).status).toBe(200);
    // The key bare in Authorization, as the seed sends its header, on seed 002 and seed 003 routes.
    const bare = await call('GET', '/v1/user/profile', undefined, { authorization: key });
    expect(bare.status).toBe(200);
    expect((await call('GET', '/v1/api/auth/me', undefined, { authorization: key })).json.id).toBe(bare.json.id);
    expect((await call('GET', '/v1/user/profile', undefined, { authorization: `tsk_${'A'.repeat(32)}` })).status).toBe(401);
  });

  it('the victim recovers the account by mail', async () => {
    expect((await call('POST', '/v1/user/password/restore', { email: VICTIM })).status).toBe(200);
    const code = codeFromMail(await smtp.waitForMail(VICTIM));
    const confirm = await call('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
    expect(confirm.status).toBe(200);
    expect((await call('POST', '/v1/user/password/reset', { token: confirm.json.token, password: VICTIM_PASSWORD })).status).toBe(200);
  });

  it('the planted key no longer reads the profile', async () => {
    expect((await call('GET', '/v1/user/profile', undefined, { 'x-api-key': key })).status).toBe(401);
    expect((await call('GET', '/v1/api/auth/me', undefined, { authorization: `Bearer ${key}` })).status).toBe(401);
    expect((await call('GET', '/v1/api/auth/me', undefined, { authorization: key })).status).toBe(401);
  });

  it('the planted key no longer buys a session on /v1/auth/token', async () => {
    expect((await call('POST', '/v1/auth/token', { token: key })).status).toBe(401);
  });

  it("the attacker's /user/login token and 24 h seed-003 token are dead on Tessera's routes", async () => {
    expect((await call('GET', '/authheader/list', undefined, { authorization: attackerToken })).status).toBe(401);
    expect((await call('GET', '/v1/api/auth/me', undefined, { authorization: `Bearer ${attackerIot}` })).status).toBe(401);
  });

  it('the victim gets a mail saying the password was changed, and logs in with the new one', async () => {
    const notice = await smtp.waitForMail(VICTIM, 5_000);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/password/i);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/changed/i);
    expect((await call('POST', '/v1/auth/login', { username: VICTIM, password: VICTIM_PASSWORD })).status).toBe(200);
  });
});

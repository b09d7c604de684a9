/**
 * Property-based fuzzing of every route in GET /openapi.json (ASVS 5.0 V2.2 input validation,
 * V4.1 content types, V9 token handling, V16.5 error handling): schema-shaped bodies mixed with hostile values, malformed
 * JSON, wrong content types, oversize bodies and random credentials. No answer may be a 5xx; every
 * 4xx is problem JSON (or OAuth's `{error}` on /oauth2); the app stays healthy.
 */
import { exportSPKI, generateKeyPair, UnsecuredJWT } from 'jose';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialHeaders, operationsOf, requestFor, violation, type Dictionary, type FuzzRequest, type Operation } from '../support/fuzz.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const GROUPS = ['/v1/user', '/v1/auth', '/v1/admin', '/oauth2', '/'] as const;
/** FUZZ_SCALE=10 for a deeper local run; FUZZ_SEED to replay one (fast-check prints it on failure). */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const RUNS_WITH_INPUT = Math.round(85 * SCALE);
const RUNS_WITHOUT_INPUT = Math.round(25 * SCALE);

let t: TestApp;
let ops: Operation[];
let dict: Dictionary;
let credentials: fc.Arbitrary<Record<string, string>>;
let adminCredentials: fc.Arbitrary<Record<string, string>>;
let sent = 0;
let succeeded = 0;
const covered = new Set<string>();

function send(req: FuzzRequest) {
  sent += 1;
  return t.app.server.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload === undefined ? {} : { payload: req.payload }) });
}

beforeAll(async () => {
  t = await createTestApp({
    LOGIN_FREE_ATTEMPTS: '1000',
    LOGIN_IP_FREE_ATTEMPTS: '100000',
    MAIL_RATE_PER_ADDRESS: '1000',
    MAIL_RATE_PER_IP: '100000',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}`,
  });
  ops = operationsOf((await t.request('GET', '/openapi.json')).json());
  const fuzzer = await registerUser(t, 'fuzzer', STRONG_PASSWORD, { email: 'fuzzer@example.test' });
  const victim = await registerUser(t, 'victim', STRONG_PASSWORD, { email: 'victim@example.test' });
  const admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json<{ access_token: string }>();
  const apiKey = (await t.request('POST', '/authheader/add', { token: fuzzer.access_token, body: { name: 'fuzz' } })).json<{ token: string }>().token;
  const victimId = (await t.request('GET', '/v1/user/profile', { token: victim.access_token })).json<{ id: string }>().id;
  const restricted = (await t.app.core.sessions.startRestricted((await t.app.core.store.users.findById(victimId))!, {}, { clientId: 'tessera-native' })).token;
  const asAdmin = (url: string, body: object) => t.request('POST', url, { token: admin.access_token, body });
  const client = (await asAdmin('/v1/admin/clients', { name: 'fuzz', grantTypes: ['client_credentials', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:token-exchange'] })).json<{ clientId: string; clientSecret: string }>();
  const account = (await asAdmin('/v1/admin/accounts', { name: 'Acme' })).json<{ id: string }>();
  const pem = await exportSPKI((await generateKeyPair('RS256', { extractable: true })).publicKey);
  const issuer = (await asAdmin('/v1/admin/issuers', { issuer: 'https://idp.fuzz.example', publicKeyPem: pem, audience: 'tessera' })).json<{ id: string }>();
  const sessionId = (await t.request('GET', `/v1/admin/users/${victimId}/sessions`, { token: admin.access_token })).json<{ id: string }[]>()[0]?.id ?? 'none';
  for (const [name, res] of Object.entries({ apiKey, client: client.clientId, account: account.id, issuer: issuer.id })) expect(res, name).toBeTruthy();

  const [h, , s] = fuzzer.access_token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: victimId, roles: ['admin'], token_use: 'access' })).toString('base64url')}.${s}`;
  const none = new UnsecuredJWT({ sub: victimId, roles: ['admin'], token_use: 'access' }).setIssuer('http://tessera.test').setAudience('tessera').encode();
  const tokens = [fuzzer.access_token, victim.access_token, admin.access_token, apiKey, restricted];
  const junk = [tampered, none, fuzzer.refresh_token, `tsk_${'A'.repeat(32)}`, 'a.b.c', '..', `${fuzzer.access_token}x`, 'e30.e30.e30', 'x'.repeat(5000)];
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
  const rawAuthorization = [basic, `Basic ${Buffer.from(`${client.clientId}:wrong`).toString('base64')}`];
  credentials = credentialHeaders(tokens, junk, rawAuthorization);
  adminCredentials = credentialHeaders([...Array<string>(6).fill(admin.access_token), ...tokens], junk, rawAuthorization);
  const ids = [victimId, account.id, issuer.id, client.clientId, '00000000-0000-0000-0000-000000000000'];
  dict = {
    username: ['fuzzer', 'victim', 'root', ' FUZZER ', '\uFF52\uFF4F\uFF4F\uFF54', 'new-user'],
    login: ['fuzzer', 'victim', 'root'],
    password: [STRONG_PASSWORD, 'another long passphrase', 'short', 'password123'],
    oldpassword: [STRONG_PASSWORD, 'wrong passphrase here'],
    email: ['fuzzer@example.test', 'victim@example.test', 'new@example.test', 'not-an-email'],
    address: ['fuzzer@example.test', 'new@example.test', '+15555550100'],
    type: ['email', 'phone', 'EMAIL'],
    token: [...tokens, fuzzer.refresh_token, victim.refresh_token],
    text: [apiKey, `tsk_${'B'.repeat(32)}`],
    role: ['member', 'owner', 'admin', 'Bad Role!'],
    roles: ['admin', 'user', 'x y'],
    issuer: ['https://idp.fuzz.example', 'https://other.example', 'not a url'],
    publickeypem: [pem, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'],
    grant_type: ['password', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange', 'authorization_code'],
    refresh_token: [fuzzer.refresh_token, victim.refresh_token],
    subject_token: [apiKey, fuzzer.access_token],
    subject_token_type: ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:access_token'],
    client_id: [client.clientId],
    client_secret: [client.clientSecret, 'wrong'],
    token_type_hint: ['access_token', 'refresh_token'],
    id: ids,
    userid: ids,
    sessionid: [sessionId],
    code: ['123456', '000000'],
    locale: ['en', 'de-AT', 'zz'],
    name: ['ci', 'Acme', 'Fuzz Client'],
    audience: ['tessera', 'other'],
    query: ['fuzz', 'vic', '%', '_'],
  };
});
afterAll(async () => t?.close());

function groupOf(op: Operation): string {
  return GROUPS.find((g) => g !== '/' && op.path.startsWith(g)) ?? '/';
}

/** Runs the property for one operation; answers why it failed, or undefined. */
async function fuzz(op: Operation, creds: fc.Arbitrary<Record<string, string>>, numRuns: number): Promise<string | undefined> {
  try {
    await fc.assert(
      fc.asyncProperty(requestFor(op, dict, creds), async (req) => {
        const res = await send(req);
        if (res.statusCode < 300) succeeded += 1;
        const problem = violation(req.url, { status: res.statusCode, headers: res.headers, body: res.body });
        if (problem) throw new Error(`${problem}\n${req.method} ${req.url.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 300)}\n${String(req.payload ?? '').slice(0, 300)}`);
      }),
      { numRuns, ...SEED },
    );
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    return `${op.method} ${op.path}: ${message.slice(0, 1500)} ... ${message.slice(-1500)}`;
  }
}

describe('fuzzing every OpenAPI operation', () => {
  it.each(GROUPS)('%s: no 5xx, every 4xx is problem JSON', { timeout: 60_000 * SCALE }, async (group) => {
    const failures: string[] = [];
    for (const op of ops.filter((o) => groupOf(o) === group)) {
      covered.add(`${op.method} ${op.path}`);
      const numRuns = op.body || op.params.length > 0 ? RUNS_WITH_INPUT : RUNS_WITHOUT_INPUT;
      failures.push((await fuzz(op, op.path.startsWith('/v1/admin') ? adminCredentials : credentials, numRuns)) ?? '');
    }
    expect(failures.filter(Boolean)).toEqual([]);
  });

  it('tokens that outlive their user (deleted) or speak for a locked one: still no 5xx anywhere', { timeout: 60_000 * SCALE }, async () => {
    const ghost = await registerUser(t, 'ghost', STRONG_PASSWORD, { email: 'ghost@example.test' });
    const frozen = await registerUser(t, 'frozen', STRONG_PASSWORD, { email: 'frozen@example.test' });
    const idOf = async (token: string) => (await t.request('GET', '/v1/user/profile', { token })).json<{ id: string }>().id;
    const [ghostId, frozenId] = [await idOf(ghost.access_token), await idOf(frozen.access_token)];
    const restricted = (await t.app.core.sessions.startRestricted((await t.app.core.store.users.findById(ghostId))!, {}, { clientId: 'tessera-native' })).token;
    // through the store: the fuzz above may have changed root's password
    await t.app.core.store.users.update(frozenId, { locked: true });
    await t.app.core.store.users.delete(ghostId);
    const stale = credentialHeaders([ghost.access_token, frozen.access_token, restricted], [ghost.refresh_token]);
    const failures: string[] = [];
    for (const op of ops) failures.push((await fuzz(op, stale, Math.round(10 * SCALE))) ?? '');
    expect(failures.filter(Boolean)).toEqual([]);
  });

  it('covered every operation with >= 3000 requests, and the app is still healthy', async () => {
    expect([...covered].sort()).toEqual(ops.map((o) => `${o.method} ${o.path}`).sort());
    expect(ops.length).toBeGreaterThan(40);
    expect(sent).toBeGreaterThanOrEqual(3000 * SCALE);
    // the valid-ish half reaches the handlers, not only the validators
    expect(succeeded / sent).toBeGreaterThan(0.08);
    const health = await t.request('GET', '/healthz');
    expect(health.statusCode).toBe(200);
    // (the fuzz may have changed or locked its own users: a new one must still register and log in)
    await registerUser(t, 'after-the-fuzz');
    expect((await t.request('POST', '/v1/auth/login', { body: { username: 'after-the-fuzz', password: STRONG_PASSWORD } })).statusCode).toBe(200);
    await t.app.core.tasks.drain();
    const errors = t.logs.join('').split('\n').filter((line) => /unhandled error|"level":(50|60)/.test(line));
    expect(errors.map((line) => line.slice(0, 600))).toEqual([]);
  });
});

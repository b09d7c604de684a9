import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, login } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const ADMIN = { username: 'keeper', password: 'a long admin passphrase for tests' };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface Jwk {
  kid: string;
  kty: string;
  n?: string;
  x?: string;
}

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
  admin = (await login(t, ADMIN.username, ADMIN.password)).access_token;
});
afterAll(async () => t.close());

const jwks = async () => (await t.request('GET', '/.well-known/jwks.json')).json<{ keys: Jwk[] }>().keys;

describe('admin: signing keys', () => {
  it('rotates: new kid in the JWKS beside the old one, old tokens still verify, publicKey serves the new key', async () => {
    const before = (await registerUser(t, 'holder')).access_token;
    const oldKid = decodeProtectedHeader(before).kid!;
    expect((await jwks()).map((k) => k.kid)).toContain(oldKid);

    const res = await t.request('POST', '/v1/admin/keys/rotate', { token: admin });
    expect(res.statusCode, res.body).toBe(200);
    const { kid } = res.json<{ kid: string }>();
    expect(kid).not.toBe(oldKid);

    const published = await jwks();
    expect(published.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, kid]));
    expect((await t.request('GET', '/v1/user/profile', { token: before })).statusCode).toBe(200);

    const pem = (await t.request('GET', '/v1/auth/publicKey')).body;
    const served = createPublicKey(pem).export({ format: 'jwk' });
    const fresh = published.find((k) => k.kid === kid)!;
    expect(served.n ?? served.x).toBe(fresh.n ?? fresh.x);

    const after = (await login(t, 'holder')).access_token;
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    expect((await t.request('GET', '/v1/user/profile', { token: after })).statusCode).toBe(200);
  });

  it('lists keys without key material, exactly one current, and records the rotation in the audit trail', async () => {
    const { kid } = (await t.request('POST', '/v1/admin/keys/rotate', { token: admin })).json<{ kid: string }>();
    const res = await t.request('GET', '/v1/admin/keys', { token: admin });
    expect(res.statusCode, res.body).toBe(200);
    const keys = res.json<{ kid: string; current: boolean; retiredAt: string | null; createdAt: string }[]>();
    expect(keys.filter((k) => k.current).map((k) => k.kid)).toEqual([kid]);
    expect(keys.find((k) => k.kid === kid)!.retiredAt).toBeNull();
    expect(keys.filter((k) => !k.current).every((k) => typeof k.retiredAt === 'string')).toBe(true);
    expect(res.body).not.toMatch(/PRIVATE KEY|"d"|privatePem/);

    const audit = (await t.request('GET', '/v1/admin/audit?limit=50', { token: admin })).json<{ events: { type: string; detail: { kid?: string } }[] }>();
    expect(audit.events.some((e) => e.type === 'signing_key.rotated' && e.detail.kid === kid)).toBe(true);
  });
});

describe('admin: audit trail', () => {
  it("lists a user's login successes and failures, newest first, with ISO times and no secrets", async () => {
    const pair = await registerUser(t, 'audited');
    const userId = decodeJwt(pair.access_token).sub!;
    const ok = await login(t, 'audited');
    t.clock.advanceSeconds(5);
    const wrong = 'a wrong password entirely';
    expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'audited', password: wrong } }), 401);

    const res = await t.request('GET', `/v1/admin/audit?userId=${userId}&limit=20`, { token: admin });
    expect(res.statusCode, res.body).toBe(200);
    const events = res.json<{ events: { type: string; userId: string; outcome: string; at: string; detail: Record<string, unknown> }[] }>().events;
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.registered', 'login.succeeded', 'login.failed']));
    expect(events.every((e) => e.userId === userId)).toBe(true);
    expect(events[0]!.type).toBe('login.failed');
    expect(events[0]!.outcome).toBe('failure');
    expect(events.find((e) => e.type === 'login.succeeded')!.outcome).toBe('success');
    for (const e of events) expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    for (const secret of [STRONG_PASSWORD, wrong, pair.access_token, pair.refresh_token, ok.access_token, ok.refresh_token]) {
      expect(res.body).not.toContain(secret);
    }
    expect(res.body).not.toMatch(/"(password|passwordHash|token|access_token|refresh_token|secret)"|\$argon2/i);
  });

  it('honours limit, renders the timezone offset, and answers 400 for bad filters', async () => {
    const res = await t.request('GET', '/v1/admin/audit?limit=3', { token: admin, headers: { 'x-nugios-timezone': '-150' } });
    const events = res.json<{ events: { at: string }[] }>().events;
    expect(events).toHaveLength(3);
    for (const e of events) expect(e.at).toMatch(/-02:30$/);
    expectFieldError(await t.request('GET', '/v1/admin/audit?limit=0', { token: admin }), 'limit');
    expectFieldError(await t.request('GET', '/v1/admin/audit?limit=501', { token: admin }), 'limit');
    expectFieldError(await t.request('GET', '/v1/admin/audit?userId=nobody', { token: admin }), 'userId');
    expect((await t.request('GET', `/v1/admin/audit?userId=${UNKNOWN}`, { token: admin })).json()).toEqual({ events: [] });
  });
});

describe("admin: a user's sessions", () => {
  it('lists and revokes them: the revoked refresh token fails, the other session lives on', async () => {
    await registerUser(t, 'roamer');
    const phone = await t.request('POST', '/v1/auth/login', { body: { username: 'roamer', password: STRONG_PASSWORD }, headers: { 'user-agent': 'phone/1.0' } });
    const laptop = await login(t, 'roamer');
    const userId = decodeJwt(laptop.access_token).sub!;
    const phonePair = phone.json<{ refresh_token: string }>();

    const res = await t.request('GET', `/v1/admin/users/${userId}/sessions`, { token: admin });
    expect(res.statusCode, res.body).toBe(200);
    const sessions = res.json<{ id: string; client: string; userAgent: string | null; createdAt: string }[]>();
    expect(sessions).toHaveLength(3); // registration, phone, laptop
    const phoneSession = sessions.find((s) => s.userAgent === 'phone/1.0')!;
    expect(phoneSession).toBeDefined();
    expect(res.body).not.toContain(phonePair.refresh_token);

    const revoked = await t.request('DELETE', `/v1/admin/users/${userId}/sessions/${phoneSession.id}`, { token: admin });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toEqual({ revoked: true });

    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: phonePair.refresh_token } }), 401);
    expect((await t.request('POST', '/v1/auth/refresh', { body: { token: laptop.refresh_token } })).statusCode).toBe(200);
    const left = (await t.request('GET', `/v1/admin/users/${userId}/sessions`, { token: admin })).json<{ id: string }[]>();
    expect(left.map((s) => s.id)).not.toContain(phoneSession.id);
    expect(left).toHaveLength(2);
    expectProblem(await t.request('DELETE', `/v1/admin/users/${userId}/sessions/${phoneSession.id}`, { token: admin }), 404, 'not_found');
  });

  it("answers 404 for an unknown user and for another user's session", async () => {
    expectProblem(await t.request('GET', `/v1/admin/users/${UNKNOWN}/sessions`, { token: admin }), 404, 'not_found');
    const mine = await registerUser(t, 'owner-of-session');
    const other = decodeJwt((await registerUser(t, 'bystander')).access_token).sub!;
    const ownerId = decodeJwt(mine.access_token).sub!;
    const [session] = (await t.request('GET', `/v1/admin/users/${ownerId}/sessions`, { token: admin })).json<{ id: string }[]>();
    expectProblem(await t.request('DELETE', `/v1/admin/users/${other}/sessions/${session!.id}`, { token: admin }), 404, 'not_found');
    expect((await t.request('POST', '/v1/auth/refresh', { body: { token: mine.refresh_token } })).statusCode).toBe(200);
  });
});

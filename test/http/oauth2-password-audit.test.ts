/**
 * The audit trail says what a password grant did: `login.succeeded` only when tokens went out.
 * An expired password on /oauth2/token answers invalid_grant (the OAuth surface hands out no
 * restricted token), so it is a `login.failed` with reason `password_expired`, and no session is
 * left behind for a token nobody received.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface AuditRow {
  type: string;
  outcome: string;
  detail: Record<string, unknown>;
}

describe('audit of the OAuth password grant', () => {
  let t: TestApp;
  let admin: string;

  const grant = (username: string, password = STRONG_PASSWORD) =>
    t.request('POST', '/oauth2/token', { body: new URLSearchParams({ grant_type: 'password', username, password }).toString(), headers: FORM });
  const events = async (userId: string) =>
    (await t.request('GET', `/v1/admin/audit?userId=${userId}&limit=100`, { token: admin })).json<{ events: AuditRow[] }>().events;
  const sessions = async (userId: string) =>
    (await t.request('GET', `/v1/admin/users/${userId}/sessions`, { token: admin })).json<unknown[]>();

  beforeAll(async () => {
    t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json<{ access_token: string }>().access_token;
  });
  afterAll(async () => t.close());

  it('records login.succeeded once for a grant that issued tokens', async () => {
    const userId = decodeJwt((await registerUser(t, 'granted')).access_token).sub!;
    const res = await grant('granted');
    expect(res.statusCode, res.body).toBe(200);
    const logins = (await events(userId)).filter((e) => e.type.startsWith('login.'));
    expect(logins).toEqual([expect.objectContaining({ type: 'login.succeeded', outcome: 'success' })]);
  });

  it('an expired password answers invalid_grant, is audited as login.failed and leaves no session', async () => {
    const userId = decodeJwt((await registerUser(t, 'expired-oauth')).access_token).sub!;
    const before = (await sessions(userId)).length;
    const expire = await t.request('PATCH', `/v1/admin/users/${userId}`, { token: admin, body: { passwordExpired: true } });
    expect(expire.statusCode, expire.body).toBe(200);

    const res = await grant('expired-oauth');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });

    const logins = (await events(userId)).filter((e) => e.type.startsWith('login.'));
    expect(logins.filter((e) => e.type === 'login.succeeded')).toEqual([]);
    expect(logins).toEqual([expect.objectContaining({ type: 'login.failed', outcome: 'failure', detail: expect.objectContaining({ reason: 'password_expired' }) })]);
    expect((await sessions(userId)).length).toBe(before);
    // nothing in the answer points at a token the client never received
    expect(res.body).not.toMatch(/restricted|eyJ/);
  });

  it('the /v1 login still buys the restricted token there, and audits that as a restricted success', async () => {
    const userId = decodeJwt((await registerUser(t, 'expired-native')).access_token).sub!;
    await t.request('PATCH', `/v1/admin/users/${userId}`, { token: admin, body: { passwordExpired: true } });
    const res = await t.request('POST', '/v1/auth/login', { body: { username: 'expired-native', password: STRONG_PASSWORD } });
    expect(res.statusCode, res.body).toBe(403);
    expect(typeof res.json().restrictedToken).toBe('string');
    const logins = (await events(userId)).filter((e) => e.type.startsWith('login.'));
    expect(logins).toEqual([expect.objectContaining({ type: 'login.succeeded', outcome: 'success', detail: expect.objectContaining({ restricted: true }) })]);
  });
});

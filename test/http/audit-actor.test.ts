import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/** Audit events of authenticated requests say who acted, so an admin's changes are attributable. */
describe('audit actor', () => {
  let t: TestApp;
  let admin: { token: string; id: string };

  beforeAll(async () => {
    t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    const login = (await t.request('POST', '/user/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json();
    const token = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json().access_token;
    admin = { token, id: login.Id };
  });
  afterAll(async () => t.close());

  it('records the acting admin on changes to another user', async () => {
    await registerUser(t, 'subject@example.com');
    const target = (await t.request('GET', '/v1/admin/users?query=subject', { token: admin.token })).json().users[0];
    expect((await t.request('PATCH', `/v1/admin/users/${target.id}`, { token: admin.token, body: { locked: true } })).statusCode).toBe(200);
    const events = await t.app.core.audit.list({ userId: target.id, limit: 10 });
    const change = events.find((e) => e.type === 'admin.user_changed');
    expect(change?.detail).toMatchObject({ actorId: admin.id, surface: 'admin' });
  });

  it('leaves the actor out of anonymous requests', async () => {
    await t.request('POST', '/v1/auth/login', { body: { username: 'subject@example.com', password: 'not the password' } });
    const events = await t.app.core.audit.list({ limit: 5 });
    const failed = events.find((e) => e.type === 'login.failed');
    expect(failed?.detail.actorId).toBeUndefined();
  });
});

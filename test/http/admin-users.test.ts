import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError, expectProblem, login } from '../support/native-helpers.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

interface AdminUser {
  id: string;
  username: string;
  email: string | null;
  name: string | null;
  locale: string | null;
  roles: string[];
  emailVerified: boolean;
  locked: boolean;
  termsAccepted: boolean;
  passwordExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const ADMIN = { username: 'boss', password: 'a long admin passphrase for tests' };
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
  admin = (await login(t, ADMIN.username, ADMIN.password)).access_token;
});
afterAll(async () => t.close());

async function createUser(body: Record<string, unknown>): Promise<AdminUser> {
  const res = await t.request('POST', '/v1/admin/users', { token: admin, body: { password: STRONG_PASSWORD, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<AdminUser>();
}

const patch = (id: string, body: Record<string, unknown>) => t.request('PATCH', `/v1/admin/users/${id}`, { token: admin, body });

describe('admin: creating users', () => {
  it('answers 201 with the user (no hash), who can log in and carries the roles claim', async () => {
    const res = await t.request('POST', '/v1/admin/users', {
      token: admin,
      body: { username: 'Operator', password: STRONG_PASSWORD, email: 'op@example.com', name: 'Op Erator', roles: ['auditor', 'support'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json<AdminUser>();
    expect(user).toMatchObject({ username: 'Operator', email: 'op@example.com', name: 'Op Erator', roles: ['auditor', 'support'], locked: false });
    expect(user.emailVerified).toBe(false);
    expect(user.createdAt).toMatch(ISO_UTC);
    expect(user.updatedAt).toMatch(ISO_UTC);
    expect(res.body).not.toMatch(/passwordHash|argon2|password"/i);

    const token = (await login(t, 'operator')).access_token;
    expect(decodeJwt(token).sub).toBe(user.id);
    expect(decodeJwt(token).roles).toEqual(['auditor', 'support']);
  });

  it('renders dates in the X-nugios-timezone offset', async () => {
    const user = await createUser({ username: 'tz-user' });
    const res = await t.request('GET', `/v1/admin/users/${user.id}`, { token: admin, headers: { 'x-nugios-timezone': '240' } });
    expect(res.json<AdminUser>().createdAt).toMatch(/\+04:00$/);
    expect(Date.parse(res.json<AdminUser>().createdAt)).toBe(Date.parse(user.createdAt));
  });

  it('answers 409 for a taken username in any case, 400 for a weak password or a bad role', async () => {
    await createUser({ username: 'dupe' });
    expectProblem(await t.request('POST', '/v1/admin/users', { token: admin, body: { username: 'DUPE', password: STRONG_PASSWORD } }), 409);
    expectFieldError(await t.request('POST', '/v1/admin/users', { token: admin, body: { username: 'weak', password: 'password' } }), 'password');
    expectFieldError(
      await t.request('POST', '/v1/admin/users', { token: admin, body: { username: 'badrole', password: STRONG_PASSWORD, roles: ['Admin!'] } }),
      'roles',
    );
    expectFieldError(await t.request('POST', '/v1/admin/users', { token: admin, body: { password: STRONG_PASSWORD } }), 'username');
  });
});

describe('admin: listing users', () => {
  it('pages 25 matching users 10 at a time: 3 pages, no duplicates, nextCursor null at the end', async () => {
    for (let i = 0; i < 25; i++) {
      await createUser({ username: `pager-${String(i).padStart(2, '0')}` });
      t.clock.advance(1);
    }
    await createUser({ username: 'not-in-the-search' });
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `query=PAGER&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.request('GET', `/v1/admin/users?${qs}`, { token: admin });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ users: AdminUser[]; nextCursor: string | null }>();
      sizes.push(page.users.length);
      seen.push(...page.users.map((u) => u.username));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `pager-${String(i).padStart(2, '0')}`));
    expect(cursor).toBeNull();
  });

  it('pages users created in the same millisecond without loss or repeats (ties break by id)', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `tie-${String(i).padStart(2, '0')}`);
    for (const username of names) await createUser({ username });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `query=tie-&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await t.request('GET', `/v1/admin/users?${qs}`, { token: admin })).json<{ users: AdminUser[]; nextCursor: string | null }>();
      seen.push(...page.users.map((u) => u.username));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual(names);
  });

  it('matches the email too, and lists everyone without a query', async () => {
    await createUser({ username: 'mailonly', email: 'Findme@Example.org' });
    const byMail = await t.request('GET', '/v1/admin/users?query=findme@example', { token: admin });
    expect(byMail.json<{ users: AdminUser[] }>().users.map((u) => u.username)).toEqual(['mailonly']);
    const all = await t.request('GET', '/v1/admin/users?limit=100', { token: admin });
    expect(all.json<{ users: AdminUser[] }>().users.map((u) => u.username)).toEqual(expect.arrayContaining([ADMIN.username, 'mailonly']));
    expect(all.body).not.toMatch(/passwordHash|\$argon2/);
  });

  it('answers 400 for a cursor it did not issue and for a limit out of range', async () => {
    for (const cursor of ['garbage', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      expectFieldError(await t.request('GET', `/v1/admin/users?cursor=${cursor}`, { token: admin }), 'cursor');
    }
    expectFieldError(await t.request('GET', '/v1/admin/users?limit=0', { token: admin }), 'limit');
    expectFieldError(await t.request('GET', '/v1/admin/users?limit=101', { token: admin }), 'limit');
    expectFieldError(await t.request('GET', '/v1/admin/users?limit=ten', { token: admin }), 'limit');
  });
});

describe('admin: one user', () => {
  it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
    expectProblem(await t.request('GET', '/v1/admin/users/00000000-0000-4000-8000-000000000000', { token: admin }), 404, 'not_found');
    expectFieldError(await t.request('GET', '/v1/admin/users/not-a-uuid', { token: admin }), 'id');
    expectProblem(await patch('00000000-0000-4000-8000-000000000000', { locked: true }), 404, 'not_found');
    expectProblem(await t.request('DELETE', '/v1/admin/users/00000000-0000-4000-8000-000000000000', { token: admin }), 404, 'not_found');
  });

  it('patches roles; a new login token carries them, the old token keeps the old claim', async () => {
    const registered = await registerUser(t, 'promoted');
    const id = decodeJwt(registered.access_token).sub!;
    const res = await patch(id, { roles: ['editor', 'editor', 'viewer'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AdminUser>().roles).toEqual(['editor', 'viewer']);
    expect(decodeJwt((await login(t, 'promoted')).access_token).roles).toEqual(['editor', 'viewer']);
    expect(decodeJwt(registered.access_token).roles).toEqual([]);
    expect((await t.request('GET', `/v1/admin/users/${id}`, { token: admin })).json<AdminUser>().roles).toEqual(['editor', 'viewer']);
  });

  it('patches emailVerified, and refuses an empty patch, passwordExpired false and unknown types', async () => {
    const user = await createUser({ username: 'verifiable', email: 'v@example.com' });
    expect((await patch(user.id, { emailVerified: true })).json<AdminUser>().emailVerified).toBe(true);
    expect(decodeJwt((await login(t, 'verifiable')).access_token).email_verified).toBe(true);
    expectProblem(await patch(user.id, {}), 400);
    expectFieldError(await patch(user.id, { passwordExpired: false }), 'passwordExpired');
    expectFieldError(await patch(user.id, { locked: 'yes' }), 'locked');
  });

  it('locks a user: login answers like a wrong password, their refresh token fails; unlocking restores login', async () => {
    await createUser({ username: 'lockme' });
    const pair = await login(t, 'lockme');
    const id = decodeJwt(pair.access_token).sub!;
    const res = await patch(id, { locked: true });
    expect(res.json<AdminUser>().locked).toBe(true);

    expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'lockme', password: STRONG_PASSWORD } }), 401, 'invalid_credentials');
    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } }), 401);
    expectProblem(await t.request('GET', '/v1/user/profile', { token: pair.access_token }), 403, 'account_locked');

    expect((await patch(id, { locked: false })).json<AdminUser>().locked).toBe(false);
    expect((await login(t, 'lockme')).access_token).toBeTruthy();
    // the sessions ended by the lock stay ended
    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } }), 401);
  });

  it('expires a password: login answers 403 with passwordExpired and a restricted token', async () => {
    const user = await createUser({ username: 'expireme' });
    expect(user.passwordExpiresAt).toBeNull();
    const res = await patch(user.id, { passwordExpired: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AdminUser>().passwordExpiresAt).toMatch(ISO_UTC);

    const body = expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'expireme', password: STRONG_PASSWORD } }), 403);
    expect(body.passwordExpired).toBe(true);
    expect(decodeJwt(body.restrictedToken as string).token_use).toBe('password_change');
  });

  it('deletes a user: 404 afterwards, their login 401, their tokens refused', async () => {
    await createUser({ username: 'deleteme' });
    const pair = await login(t, 'deleteme');
    const id = decodeJwt(pair.access_token).sub!;
    const res = await t.request('DELETE', `/v1/admin/users/${id}`, { token: admin });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ deleted: true });

    expectProblem(await t.request('GET', `/v1/admin/users/${id}`, { token: admin }), 404, 'not_found');
    expectProblem(await t.request('DELETE', `/v1/admin/users/${id}`, { token: admin }), 404, 'not_found');
    expectProblem(await t.request('POST', '/v1/auth/login', { body: { username: 'deleteme', password: STRONG_PASSWORD } }), 401);
    expectProblem(await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } }), 401);
    expectProblem(await t.request('GET', '/v1/user/profile', { token: pair.access_token }), 401);
    // the name is free again
    await createUser({ username: 'deleteme' });
  });
});

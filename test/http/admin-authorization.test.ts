import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

/**
 * Every admin route, as the OpenAPI document lists it, refuses anyone who is not an admin holding
 * a login token: 401 without a credential, 403 for a plain user, an API key (even an admin's), an
 * OAuth client with the admin role, a restricted token, and an admin demoted since the token was
 * issued. The admin's own token passes the guard on every route.
 */
const ADMIN = { username: 'chief', password: 'a long admin passphrase for tests' };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Route {
  method: string;
  url: string;
}

let t: TestApp;
let routes: Route[];
let adminToken: string;

async function apiKeyOf(token: string): Promise<string> {
  const res = await t.request('POST', '/authheader/add', { body: { name: 'ci' }, token });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
  adminToken = (await login(t, ADMIN.username, ADMIN.password)).access_token;
  const doc = (await t.request('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/admin'))
    .flatMap(([path, operations]) =>
      METHODS.filter((m) => m in operations).map((m) => ({ method: m.toUpperCase(), url: path.replace(/\{[^}]+\}/g, () => randomUUID()) })),
    );
});
afterAll(async () => t.close());

/** Asserts that every admin route answers `status` to this credential. */
async function everyRouteAnswers(status: number, headers: Record<string, string>, code?: string) {
  for (const route of routes) {
    const res = await t.request(route.method, route.url, { headers, body: {} });
    expect(res.statusCode, `${route.method} ${route.url}: ${res.body}`).toBe(status);
    expectProblem(res, status, code);
  }
}

describe('admin authorization', () => {
  it('covers at least the documented admin routes, each tagged admin with bearer security', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const doc = (await t.request('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>> }>();
    const keys = new Set(routes.map((r) => `${r.method} ${r.url.replace(/[0-9a-f-]{36}/g, '{}')}`));
    for (const expected of [
      'POST /v1/admin/users',
      'GET /v1/admin/users',
      'GET /v1/admin/users/{}',
      'PATCH /v1/admin/users/{}',
      'DELETE /v1/admin/users/{}',
      'GET /v1/admin/users/{}/sessions',
      'DELETE /v1/admin/users/{}/sessions/{}',
      'POST /v1/admin/accounts',
      'PUT /v1/admin/accounts/{}/members/{}',
      'DELETE /v1/admin/accounts/{}/members/{}',
      'POST /v1/admin/issuers',
      'GET /v1/admin/issuers',
      'DELETE /v1/admin/issuers/{}',
      'POST /v1/admin/clients',
      'GET /v1/admin/clients',
      'DELETE /v1/admin/clients/{}',
      'POST /v1/admin/keys/rotate',
      'GET /v1/admin/keys',
      'GET /v1/admin/audit',
    ]) {
      expect(keys, expected).toContain(expected);
    }
    for (const [path, operations] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/admin'))) {
      for (const [method, op] of Object.entries(operations)) {
        expect(op.tags, `${method} ${path}`).toEqual(['admin']);
        expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
    }
  });

  it('answers 401 with a Bearer challenge without a token, and with a token that is not valid', async () => {
    for (const route of routes) {
      for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Record<string, string>[]) {
        const res = await t.request(route.method, route.url, { headers, body: {} });
        expectProblem(res, 401);
        expect(res.headers['www-authenticate'], `${route.method} ${route.url}`).toMatch(/^Bearer /);
      }
    }
  });

  it('answers 403 to a plain user', async () => {
    const { access_token } = await registerUser(t, 'plain-user');
    await everyRouteAnswers(403, { authorization: `Bearer ${access_token}` }, 'forbidden');
  });

  it("answers 403 to a non-admin's API key, in each header form", async () => {
    const key = await apiKeyOf((await registerUser(t, 'key-holder')).access_token);
    await everyRouteAnswers(403, { authorization: `Bearer ${key}` }, 'forbidden');
    await everyRouteAnswers(403, { 'x-api-key': key }, 'forbidden');
  });

  it("answers 403 to an admin's API key: keys cannot call the admin API", async () => {
    const key = await apiKeyOf(adminToken);
    await everyRouteAnswers(403, { authorization: `Bearer ${key}` }, 'forbidden');
    await everyRouteAnswers(403, { authorization: `ApiKey ${key}` }, 'forbidden');
  });

  it("answers 403 to a token pair bought with an admin's API key (POST /v1/auth/token), and to its refresh", async () => {
    const key = await apiKeyOf(adminToken);
    const bought = await t.request('POST', '/v1/auth/token', { body: { token: key } });
    expect(bought.statusCode, bought.body).toBe(200);
    const pair = bought.json<{ access_token: string; refresh_token: string }>();
    await everyRouteAnswers(403, { authorization: `Bearer ${pair.access_token}` }, 'forbidden');
    const refreshed = await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    await everyRouteAnswers(403, { authorization: `Bearer ${refreshed.json<{ access_token: string }>().access_token}` }, 'forbidden');
  });

  it('answers 403 to an OAuth client token that carries the admin role', async () => {
    const { client } = await t.app.core.clients.register({ name: 'robot', roles: ['admin'] }, {});
    const issued = await t.app.core.clients.issueClientToken(client, {});
    await everyRouteAnswers(403, { authorization: `Bearer ${issued.token}` }, 'forbidden');
  });

  it('answers 403 to an admin demoted after the token was issued, and to a locked admin', async () => {
    const created = await t.request('POST', '/v1/admin/users', {
      token: adminToken,
      body: { username: 'deputy', password: ADMIN.password, roles: ['admin'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const deputyToken = (await login(t, 'deputy', ADMIN.password)).access_token;
    expect((await t.request('GET', '/v1/admin/keys', { token: deputyToken })).statusCode).toBe(200);

    await t.request('PATCH', `/v1/admin/users/${id}`, { token: adminToken, body: { roles: [] } });
    await everyRouteAnswers(403, { authorization: `Bearer ${deputyToken}` }, 'forbidden');

    await t.request('PATCH', `/v1/admin/users/${id}`, { token: adminToken, body: { roles: ['admin'], locked: true } });
    await everyRouteAnswers(403, { authorization: `Bearer ${deputyToken}` }, 'account_locked');
  });

  it('answers 403 to a token issued before its user was made admin; a new login gets in', async () => {
    const before = await registerUser(t, 'rising-star');
    const id = (await t.request('GET', '/v1/admin/users?query=rising-star', { token: adminToken })).json<{ users: { id: string }[] }>().users[0]!.id;
    const promoted = await t.request('PATCH', `/v1/admin/users/${id}`, { token: adminToken, body: { roles: ['admin'] } });
    expect(promoted.statusCode, promoted.body).toBe(200);
    await everyRouteAnswers(403, { authorization: `Bearer ${before.access_token}` }, 'forbidden');
    const after = (await login(t, 'rising-star')).access_token;
    expect((await t.request('GET', '/v1/admin/users', { token: after })).statusCode).toBe(200);
  });

  it('answers 403 with passwordExpired to the restricted token of an admin whose password expired', async () => {
    const created = await t.request('POST', '/v1/admin/users', {
      token: adminToken,
      body: { username: 'expiring-admin', password: ADMIN.password, roles: ['admin'] },
    });
    const id = created.json<{ id: string }>().id;
    await t.request('PATCH', `/v1/admin/users/${id}`, { token: adminToken, body: { passwordExpired: true } });
    const res = await t.request('POST', '/v1/auth/login', { body: { username: 'expiring-admin', password: ADMIN.password } });
    const restricted = expectProblem(res, 403).restrictedToken as string;
    for (const route of routes) {
      const answer = await t.request(route.method, route.url, { token: restricted, body: {} });
      expect(expectProblem(answer, 403, 'password_expired').passwordExpired).toBe(true);
    }
  });

  it("lets the admin's login token past the guard on every route", async () => {
    for (const route of routes) {
      const res = await t.request(route.method, route.url, { token: adminToken, body: {} });
      expect([401, 403], `${route.method} ${route.url}: ${res.body}`).not.toContain(res.statusCode);
      expect(res.statusCode, `${route.method} ${route.url}: ${res.body}`).toBeLessThan(500);
    }
  });
});

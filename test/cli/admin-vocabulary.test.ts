/**
 * The CLI's JSON and the admin API show users, clients and signing keys with the same field
 * names and the same date-times (ISO 8601, to the second; UTC unless X-nugios-timezone asks for
 * an offset): both render through src/core/views/operator-views.ts. The CLI runs in-process on the
 * admin API's own database file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login as apiLogin } from '../support/native-helpers.js';
import { runCli } from '../support/run-cli.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const ADMIN = { username: 'boss', password: 'a long admin passphrase for tests' };
const SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SECONDS_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+04:00$/;
type Json = Record<string, unknown>;

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
  admin = (await apiLogin(t, ADMIN.username, ADMIN.password)).access_token;
});
afterAll(async () => t.close());

/** `tessera <args>` on the test app's database; exit 0, nothing on stderr; answers stdout as JSON. */
async function cliJson<T = Json>(args: string[], input?: string): Promise<T> {
  const result = await runCli(args, { env: { DATABASE_URL: `sqlite:${t.dir}/tessera.db`, OUTBOX_DIR: t.outbox, LOG_LEVEL: 'silent' }, ...(input === undefined ? {} : { input }) });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as T;
}

async function api<T = Json>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const res = await t.request(method, url, { token: admin, body, ...(headers ? { headers } : {}) });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

const names = (value: object) => Object.keys(value).sort();

function expectDateTimes(value: Json, fields: string[], pattern = SECONDS_UTC): void {
  for (const field of fields) if (value[field] !== null) expect(value[field], field).toMatch(pattern);
}

describe('one vocabulary for the admin API and the CLI', () => {
  it('a user: tessera user create --json and POST /v1/admin/users answer the same fields and date-times', async () => {
    const fromCli = await cliJson(['user', 'create', 'cli-made', '--password-stdin', '--email', 'cli@example.com', '--role', 'ops', '--json'], STRONG_PASSWORD);
    const fromApi = await api('POST', '/v1/admin/users', { username: 'api-made', password: STRONG_PASSWORD, email: 'api@example.com', roles: ['ops'] });
    expect(names(fromCli)).toEqual(names(fromApi));
    expect(JSON.stringify(fromCli)).not.toMatch(/argon2|passwordHash/);
    for (const user of [fromCli, fromApi]) {
      expectDateTimes(user, ['createdAt', 'updatedAt', 'passwordExpiresAt']);
      expect(user).toMatchObject({ passwordExpired: false, roles: ['ops'] });
    }
    // the same user, read by each: the same object
    expect(await api('GET', `/v1/admin/users/${fromCli.id as string}`)).toEqual(fromCli);
    const listed = await cliJson<{ users: Json[]; nextCursor: string | null }>(['user', 'list', '--json']);
    const page = await api<{ users: Json[]; nextCursor: string | null }>('GET', '/v1/admin/users');
    expect(names(listed)).toEqual(names(page));
    expect(listed.users).toEqual(page.users);
    // (in creation order; the test app's hand-moved clock is behind the CLI's real one)
    expect(listed.users.map((u) => u.username).sort()).toEqual(['api-made', ADMIN.username, 'cli-made']);
  });

  it('an expired password: passwordExpired and passwordExpiresAt alike on both', async () => {
    const user = await api('POST', '/v1/admin/users', { username: 'expiring', password: STRONG_PASSWORD });
    const patched = await api('PATCH', `/v1/admin/users/${user.id as string}`, { passwordExpired: true });
    expect(patched).toMatchObject({ passwordExpired: true, passwordExpiresAt: expect.stringMatching(SECONDS_UTC) });
    const listed = await cliJson<{ users: Json[] }>(['user', 'list', '--json', '--query', 'expiring']);
    expect(listed.users).toEqual([patched]);
  });

  it('a client: tessera client create --json and POST /v1/admin/clients answer the same fields', async () => {
    const fromCli = await cliJson(['client', 'create', 'Reports', '--role', 'reports', '--json']);
    const fromApi = await api('POST', '/v1/admin/clients', { name: 'Billing', roles: ['billing'] });
    expect(names(fromCli)).toEqual(names(fromApi));
    expect(names(fromCli)).toEqual([
      'clientId',
      'clientSecret',
      'consentRequired',
      'createdAt',
      'grantTypes',
      'name',
      'postLogoutRedirectUris',
      'redirectUris',
      'roles',
      'scopes',
      'tokenEndpointAuthMethod',
    ]);
    for (const client of [fromCli, fromApi]) expectDateTimes(client, ['createdAt']);
    expect(fromCli).toMatchObject({ name: 'Reports', grantTypes: ['client_credentials'], roles: ['reports'], clientSecret: expect.stringMatching(/^\S{43}$/) });
    const { clientSecret, ...withoutSecret } = fromCli;
    const listed = await api<Json[]>('GET', '/v1/admin/clients');
    expect(listed.find((c) => c.clientId === fromCli.clientId)).toEqual(withoutSecret);
    expect(JSON.stringify(listed)).not.toContain(clientSecret as string);
  });

  it('signing keys: tessera keys list --json is GET /v1/admin/keys', async () => {
    const fromCli = await cliJson<Json[]>(['keys', 'list', '--json']);
    const fromApi = await api<Json[]>('GET', '/v1/admin/keys');
    expect(fromCli).toEqual(fromApi);
    expect(fromCli.length).toBeGreaterThan(0);
    for (const key of fromCli) {
      expect(names(key)).toEqual(['alg', 'createdAt', 'current', 'encrypted', 'kid', 'retiredAt']);
      expectDateTimes(key, ['createdAt', 'retiredAt']);
    }
  });

  it('with X-nugios-timezone the admin API writes the same precision in that offset', async () => {
    const offset = { 'x-nugios-timezone': '240' };
    const page = await api<{ users: Json[] }>('GET', '/v1/admin/users', undefined, offset);
    for (const user of page.users) expectDateTimes(user, ['createdAt', 'updatedAt', 'passwordExpiresAt'], SECONDS_OFFSET);
    for (const key of await api<Json[]>('GET', '/v1/admin/keys', undefined, offset)) expectDateTimes(key, ['createdAt', 'retiredAt'], SECONDS_OFFSET);
  });
});

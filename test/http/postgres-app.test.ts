import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const unavailable = await postgresUnavailable();
if (unavailable && !POSTGRES_REQUIRED) console.warn(`skipping the app-on-PostgreSQL tests: ${unavailable}`);

/** The whole app on PostgreSQL: the races that SQLite serializes for free must hold here too. */
describe.skipIf(unavailable !== undefined && !POSTGRES_REQUIRED)('Tessera on PostgreSQL', () => {
  const schema = testSchemaName();
  let t: TestApp;

  beforeAll(async () => {
    if (unavailable) throw new Error(`PostgreSQL required in CI: ${unavailable}`);
    t = await createTestApp({ DATABASE_URL: urlWithSchema(schema), TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
  });
  afterAll(async () => {
    await t?.close();
    if (!unavailable) await dropSchema(schema);
  });

  it('registers, logs in on every surface and reads the profile', async () => {
    const pair = await registerUser(t, 'pg-user@example.com', STRONG_PASSWORD, { name: 'Pat Gres' });
    expect((await t.request('GET', '/v1/user/profile', { token: pair.access_token })).json()).toMatchObject({ name: 'Pat Gres' });
    const body = { username: 'pg-user@example.com', password: STRONG_PASSWORD };
    expect((await t.request('POST', '/user/login', { body })).json()).toMatchObject({ Firstname: 'Pat', Lastname: 'Gres' });
    expect((await t.request('POST', '/v1/api/auth/token', { body })).statusCode).toBe(200);
    expect((await t.request('POST', '/api/Auth/Auth', { body: { login: body.username, password: body.password } })).statusCode).toBe(200);
    expect((await t.request('POST', '/v1/user', { body: { username: 'PG-USER@example.com', password: STRONG_PASSWORD } })).statusCode).toBe(409);
  });

  it('8 parallel refreshes of one token: exactly one wins, and the family is revoked', async () => {
    const pair = await registerUser(t, 'pg-race@example.com');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } })),
    );
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.statusCode === 401)).toHaveLength(7);
    const winner = answers.find((r) => r.statusCode === 200)!.json();
    expect((await t.request('POST', '/v1/auth/refresh', { body: { token: winner.refresh_token } })).statusCode).toBe(401);
  });

  it('8 parallel confirms of one reset code: exactly one wins', async () => {
    await registerUser(t, 'pg-reset@example.com');
    await t.request('POST', '/v1/user/password/restore', { body: { email: 'pg-reset@example.com' } });
    const mails = await t.mails();
    const mail = mails.find((m) => m.to && JSON.stringify(m.to).includes('pg-reset@example.com'))!;
    const code = codeFromMail(mail);
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.request('GET', `/v1/user/confirm/${code}`)));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1);
  });

  it('two simultaneous password changes of one user never collide in the history (no 5xx)', async () => {
    const history = await createTestApp({ DATABASE_URL: urlWithSchema(schema), PASSWORD_HISTORY: '3' });
    try {
      await registerUser(history, 'history@example.com');
      const answers = await Promise.all(
        ['first new passphrase', 'second new passphrase'].map((password) =>
          history.request('POST', '/v1/user/password/change', {
            body: { username: 'history@example.com', oldPassword: STRONG_PASSWORD, password },
          }),
        ),
      );
      expect(answers.every((r) => r.statusCode < 500), answers.map((r) => r.body).join('\n')).toBe(true);
      expect(answers.some((r) => r.statusCode === 200)).toBe(true);
    } finally {
      await history.close();
    }
  });

  it('serves API keys, admin listing with a cursor, and the audit trail', async () => {
    const answer = await t.request('POST', '/user/login', { body: { username: 'pg-user@example.com', password: STRONG_PASSWORD } });
    expect(answer.statusCode, answer.body).toBe(200);
    const login = answer.json();
    const added = await t.request('POST', '/authheader/add', { body: { name: 'pg' }, token: login.Token });
    expect(added.statusCode, added.body).toBe(200);
    const key = added.json().token;
    expect((await t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': key } })).statusCode).toBe(200);
    const admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json().access_token;
    const page = (await t.request('GET', '/v1/admin/users?limit=2&query=pg-', { token: admin })).json();
    expect(page.users).toHaveLength(2);
    expect(typeof page.nextCursor).toBe('string');
    const rest = (await t.request('GET', `/v1/admin/users?limit=2&query=pg-&cursor=${page.nextCursor}`, { token: admin })).json();
    expect(rest.users).toHaveLength(1);
    const audit = (await t.request('GET', `/v1/admin/audit?userId=${login.Id}&limit=5`, { token: admin })).json();
    expect(audit.events.length).toBeGreaterThan(0);
    expect((await t.request('GET', '/readyz')).statusCode).toBe(200);
  });
});

/**
 * A signing key deleted from the database (an operator ending a leaked key) ends every token it
 * signed at once, on every instance: the bearer check reads whether the key is still stored in
 * the same statement as the session and user, so neither a cached verification nor a key set
 * loaded before the deletion keeps the token alive.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { login } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

let t: TestApp;
let other: TestApp;
beforeAll(async () => {
  // Deletes the row in the SQLite file itself; the second instance opens the same file.
  t = await createTestApp({}, { sqliteOnly: true });
  other = await createTestApp({ DATABASE_URL: `sqlite:${t.dir}/tessera.db` });
});
afterAll(async () => {
  await other.close();
  await t.close();
});

it('a deleted signing key: its tokens are refused at once on both instances, cached or not', async () => {
  await registerUser(t, 'key-victim');
  const cached = (await login(t, 'key-victim')).access_token;
  const fresh = (await login(t, 'key-victim')).access_token;
  for (const app of [t, other]) expect((await app.request('GET', '/v1/api/auth/me', { token: cached })).statusCode).toBe(200);

  const db = new Database(`${t.dir}/tessera.db`);
  try {
    expect(db.prepare('delete from signing_keys').run().changes).toBeGreaterThan(0);
  } finally {
    db.close();
  }
  for (const app of [t, other]) {
    for (const token of [cached, fresh]) {
      const res = await app.request('GET', '/v1/api/auth/me', { token });
      expect(res.statusCode, res.body).toBe(401);
    }
  }
});

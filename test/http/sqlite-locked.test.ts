/**
 * The SQLite file held locked by another process (a backup tool, a stuck writer): writes wait
 * busy_timeout, then answer 503 with Retry-After, never 500; reads go on; when the lock is
 * released everything works again without a restart.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

describe('a locked SQLite file', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({}, { sqliteOnly: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes answer 503 with Retry-After while another connection holds the write lock, and work again after', async () => {
    const pair = await registerUser(t, 'reader@example.com');
    const other = new Database(`${t.dir}/tessera.db`);
    other.pragma('busy_timeout = 0');
    other.exec('begin immediate');
    try {
      const denied = await t.request('POST', '/v1/user', { body: { username: 'writer@example.com', password: STRONG_PASSWORD } });
      expect(denied.statusCode).toBe(503);
      expect(denied.headers['retry-after']).toMatch(/^\d+$/);
      expect(denied.headers['content-type']).toContain('application/problem+json');
      // WAL: reading goes on beside the writer.
      expect((await t.request('GET', '/v1/user/profile', { token: pair.access_token })).statusCode).toBe(200);
      expect((await t.request('GET', '/healthz')).statusCode).toBe(200);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect((await t.request('POST', '/v1/user', { body: { username: 'writer@example.com', password: STRONG_PASSWORD } })).statusCode).toBe(200);
  });
});

import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { createApp, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/infra/logger.js';
import { readOutbox } from './outbox.js';
import { dropSchema, testSchemaName, urlWithSchema } from './postgres.js';
import { tempDir } from './temp-dir.js';
import { TestClock } from './test-clock.js';

export interface TestApp {
  app: App;
  clock: TestClock;
  dir: string;
  outbox: string;
  /** Every log line the app wrote, as text (for secret-leak checks). */
  logs: string[];
  request(method: string, url: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  mails(): ReturnType<typeof readOutbox>;
  close(): Promise<void>;
}

/** argon2id at its cheapest: the default of createTestApp, whose tests are not about hashing. */
export const TEST_ARGON2 = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };

/** argon2id at the production defaults (read from the schema): for the tests about hashing and timing. */
export const PRODUCTION_ARGON2 = {
  ARGON2_MEMORY_KIB: configSchema.ARGON2_MEMORY_KIB.default,
  ARGON2_TIME_COST: configSchema.ARGON2_TIME_COST.default,
};

/**
 * A real Tessera on a real SQLite file in a temp folder, with mail written to a real outbox and
 * a hand-moved clock; REGISTER_RATE_PER_IP is 0 unless `env` sets it. Requests go through
 * Fastify's inject (the full HTTP pipeline, no socket).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Pick<AppOverrides, 'throttleStore'> & { sqliteOnly?: boolean } = {},
): Promise<TestApp> {
  const dir = tempDir();
  const outbox = `${dir.path}/outbox`;
  // TEST_BACKEND=postgres runs the same suites on PostgreSQL, each app on a schema of its own with
  // a small pool (see .ci/run); a test about the SQLite file itself says `sqliteOnly`.
  const schema = process.env.TEST_BACKEND === 'postgres' && env.DATABASE_URL === undefined && !overrides.sqliteOnly ? testSchemaName() : undefined;
  const { config } = loadConfig({
    DATABASE_URL: schema ? urlWithSchema(schema) : `sqlite:${dir.path}/tessera.db`,
    ...(schema ? { DATABASE_POOL_SIZE: '3' } : {}),
    OUTBOX_DIR: outbox,
    LOG_LEVEL: 'info',
    PUBLIC_URL: 'http://tessera.test',
    // every injected request comes from 127.0.0.1 and many files register dozens of users:
    // registration throttling is off unless a test sets it (test/http/registration-throttle.test.ts)
    REGISTER_RATE_PER_IP: '0',
    // argon2 at its cheapest unless a test about hashing or timing sets PRODUCTION_ARGON2
    ...TEST_ARGON2,
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const clock = new TestClock();
  const app = await createApp(config, { ...(overrides.throttleStore ? { throttleStore: overrides.throttleStore } : {}), clock, logger: createLogger(config.LOG_LEVEL, sink) });
  return {
    app,
    clock,
    dir: dir.path,
    outbox,
    logs,
    request(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      return app.server.inject({
        method: method as 'GET',
        url,
        headers,
        ...(options.body === undefined ? {} : { payload: options.body as object }),
      });
    },
    async mails() {
      await app.core.tasks.drain();
      return readOutbox(outbox);
    },
    async close() {
      await app.close();
      dir.remove();
      if (schema) await dropSchema(schema);
    },
  };
}

export const STRONG_PASSWORD = 'correct horse battery staple';

/** Registers a user through the API and answers its token pair. */
export async function registerUser(t: TestApp, username: string, password = STRONG_PASSWORD, extra: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/v1/user', { body: { username, password, ...extra } });
  if (res.statusCode !== 200) throw new Error(`register ${username}: ${res.statusCode} ${res.body}`);
  return res.json<{ access_token: string; refresh_token: string; token_type: string; expires_in: number }>();
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../src/core/audit/audit.service.js';
import type { AuditEvent } from '../../src/core/audit/audit.types.js';
import { login, newMailTo, type TokenPair } from '../support/native-helpers.js';
import { codeFromMail } from '../support/outbox.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format into samples (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(t: TestApp): Promise<{ text: string; samples: Sample[] }> {
  const res = await t.request('GET', '/metrics');
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: res.body, samples: parseMetrics(res.body) };
}

describe('GET /metrics', () => {
  let t: TestApp;
  let text: string;
  let samples: Sample[];
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const registered = await registerUser(t, 'alice', STRONG_PASSWORD, { email: 'alice@example.com' });
    const good = await login(t, 'alice');
    const bad = await t.request('POST', '/v1/auth/login', { body: { username: 'alice', password: 'not the right password' } });
    expect(bad.statusCode).toBe(401);

    const first = await t.request('POST', '/v1/auth/refresh', { body: { token: good.refresh_token } });
    expect(first.statusCode, first.body).toBe(200);
    const reused = await t.request('POST', '/v1/auth/refresh', { body: { token: good.refresh_token } });
    expect(reused.statusCode).toBe(401);

    expect((await t.request('POST', '/v1/user/password/restore', { body: { email: 'alice@example.com' } })).statusCode).toBe(200);
    const code = codeFromMail(await newMailTo(t, 'alice@example.com'));
    const confirmed = await t.request('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    expect((await t.request('GET', '/no/such/route-with-a-secret-segment')).statusCode).toBe(404);
    expect((await t.request('GET', `/v1/user/confirm/${'x'.repeat(600)}`)).statusCode).toBe(414);

    secrets.push(
      code,
      STRONG_PASSWORD,
      registered.access_token,
      registered.refresh_token,
      good.access_token,
      good.refresh_token,
      first.json<TokenPair>().refresh_token,
      confirmed.json<{ token: string }>().token,
      'route-with-a-secret-segment',
    );
    ({ text, samples } = await scrape(t));
  });
  afterAll(async () => t?.close());

  it('counts requests by route pattern and status', () => {
    expect(valueOf(samples, 'http_requests_total', { method: 'POST', route: '/v1/auth/login', status: '200' })).toBe(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'POST', route: '/v1/auth/login', status: '401' })).toBe(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'POST', route: '/v1/auth/refresh', status: '401' })).toBe(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route: '/v1/user/confirm/:code', status: '200' })).toBe(1);
    expect(valueOf(samples, 'http_request_duration_seconds_count', { route: '/v1/auth/login', status: '200' })).toBe(1);
    expect(valueOf(samples, 'http_request_duration_seconds_sum', { route: '/v1/auth/login' })).toBeGreaterThan(0);
  });

  it('labels unmatched requests and router errors `unmatched`, each counted once', () => {
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '414' })).toBe(1);
  });

  it('counts logins by surface and outcome, and refresh-token reuse', () => {
    expect(valueOf(samples, 'tessera_logins_total', { surface: 'native', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'tessera_logins_total', { surface: 'native', outcome: 'failure' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'tessera_refresh_reuse_total')).toBeGreaterThanOrEqual(1);
  });

  it('times password hashing and verification', () => {
    expect(valueOf(samples, 'tessera_password_hash_duration_seconds_count', { operation: 'hash' })).toBeGreaterThan(0);
    expect(valueOf(samples, 'tessera_password_hash_duration_seconds_count', { operation: 'verify' })).toBeGreaterThan(0);
  });

  it('reports the database pool and default process metrics', () => {
    // SQLite reports its one connection; a PostgreSQL pool (TEST_BACKEND=postgres) its own count.
    expect(valueOf(samples, 'tessera_db_pool_connections', { state: 'total' })).toEqual(process.env.TEST_BACKEND === 'postgres' ? expect.any(Number) : 1);
    expect(samples.some((s) => s.name === 'tessera_db_pool_connections' && s.labels.state === 'idle')).toBe(true);
    expect(samples.some((s) => s.name === 'tessera_db_pool_connections' && s.labels.state === 'waiting')).toBe(true);
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  it('counts throttling by scope from the audit events', async () => {
    /** Repeats `send` until it is refused with 429 (at most 30 times); answers how many it took. */
    const untilRefused = async (send: () => ReturnType<TestApp['request']>) => {
      for (let i = 1; i <= 30; i += 1) if ((await send()).statusCode === 429) return i;
      throw new Error('never throttled');
    };
    await untilRefused(() => t.request('POST', '/v1/auth/login', { body: { username: 'mallory', password: 'guess guess guess' } }));
    await untilRefused(() => t.request('POST', '/v1/user/password/restore', { body: { email: 'flood@example.com' } }));
    const after = (await scrape(t)).samples;
    expect(valueOf(after, 'tessera_rate_limited_total', { scope: 'login_account' })).toBe(1);
    expect(valueOf(after, 'tessera_rate_limited_total', { scope: 'mail_address' })).toBe(1);
    expect(valueOf(after, 'http_requests_total', { route: '/v1/auth/login', status: '429' })).toBe(1);
    expect(valueOf(after, 'http_requests_total', { route: '/v1/user/password/restore', status: '429' })).toBe(1);
  });

  it('never shows a code, token, password or raw URL', () => {
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/route="\/v1\/user\/confirm\/(?!:code")/);
  });

  it('keeps a registry per app: a second app in the process starts clean', async () => {
    const other = await createTestApp();
    try {
      const second = await scrape(other);
      expect(valueOf(second.samples, 'tessera_logins_total')).toBe(0);
      expect(valueOf(second.samples, 'http_requests_total', { route: '/v1/auth/login' })).toBe(0);
      // the first app's registry is untouched by the second's
      expect(valueOf((await scrape(t)).samples, 'tessera_logins_total', { outcome: 'success' })).toBe(
        valueOf(samples, 'tessera_logins_total', { outcome: 'success' }),
      );
    } finally {
      await other.close();
    }
  });
});

describe('METRICS_ENABLED=false', () => {
  it('serves no /metrics', async () => {
    const t = await createTestApp({ METRICS_ENABLED: 'false' });
    try {
      expect((await t.request('GET', '/metrics')).statusCode).toBe(404);
      expect((await t.request('POST', '/v1/auth/login', { body: { username: 'nobody', password: STRONG_PASSWORD } })).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('the audit observer', () => {
  it('sees each event after it is stored, and its failure never fails the recording', async () => {
    const stored: AuditEvent[] = [];
    const errors: string[] = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (_fields: object, message: string) => errors.push(message) };
    const repo = { insert: async (event: AuditEvent) => void stored.push(event), list: async () => stored, deleteOlderThan: async () => 0 };
    const seen: { type: string; storedBefore: number }[] = [];
    const observer = {
      onEvent(event: AuditEvent) {
        seen.push({ type: event.type, storedBefore: stored.length });
        if (event.type === 'login.failed') throw new Error('observer broke');
      },
    };
    const audit = new AuditService(repo, new TestClock(), logger, observer);
    await audit.record('login.succeeded', { userId: 'u1', context: { surface: 'native' } });
    await expect(audit.record('login.failed', { outcome: 'failure' })).resolves.toBeUndefined();
    expect(seen).toEqual([
      { type: 'login.succeeded', storedBefore: 1 },
      { type: 'login.failed', storedBefore: 2 },
    ]);
    expect(errors).toEqual(['audit observer failed']);
  });
});

/**
 * Request logging at `info`: exactly one concise line per answered request (method, redacted URL,
 * status, time, client address, request id), never a header, a body or a secret path segment.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { login } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

interface Line {
  msg: string;
  level: number;
  req?: { id: string; method: string; url: string; remoteAddress: string };
  status?: number;
  ms?: number;
}
const lines = (): Line[] => t.logs.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

it('one line per request with what operators need, and nothing secret', async () => {
  await registerUser(t, 'logged');
  const { access_token } = await login(t, 'logged');
  const before = t.logs.length;
  const res = await t.request('GET', '/v1/user/profile', { token: access_token, headers: { 'x-request-id': 'trace-me-1' } });
  expect(res.statusCode).toBe(200);
  await t.request('GET', '/v1/user/confirm/a-mailed-code-123?secret=query-canary');
  const logged = t.logs.slice(before).join('');
  const mine = lines().filter((l) => l.req?.id === 'trace-me-1');
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ level: 30, msg: 'request', status: 200, req: { method: 'GET', url: '/v1/user/profile', remoteAddress: '127.0.0.1' } });
  expect(typeof mine[0]!.ms).toBe('number');
  expect(lines().some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);
  expect(logged).toContain('"url":"/v1/user/confirm/[REDACTED]?[REDACTED]"');
  for (const secret of [access_token, access_token.split('.')[2]!, 'a-mailed-code-123', 'query-canary', 'authorization']) {
    expect(logged, 'a secret reached the log').not.toContain(secret);
  }
});

it('at debug, each request is logged on arrival too', async () => {
  const debug = await createTestApp({ LOG_LEVEL: 'debug' });
  try {
    await debug.request('GET', '/healthz', { headers: { 'x-request-id': 'arrive-1' } });
    const mine = debug.logs.join('').split('\n').filter((l) => l.includes('"arrive-1"')).map((l) => (JSON.parse(l) as Line).msg);
    expect(mine).toEqual(['incoming request', 'request']);
  } finally {
    await debug.close();
  }
});

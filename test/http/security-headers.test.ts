/**
 * The security headers, computed once at start: every answer carries exactly the set that
 * @fastify/helmet produced per request before (values and spelling), HSTS only over https.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const EXPECTED = {
  'content-security-policy': "default-src 'none';base-uri 'none';object-src 'none';form-action 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const HSTS = 'max-age=31536000; includeSubDomains';

describe.each([
  ['http://tessera.test', undefined],
  ['https://tessera.test', HSTS],
])('PUBLIC_URL %s', (publicUrl, hsts) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: publicUrl });
  });
  afterAll(async () => t.close());

  it.each(['/healthz', '/v1/api/auth/me', '/no-such-path'])('%s carries the whole set, and no X-Powered-By', async (path) => {
    const res = await t.request('GET', path);
    expect(res.headers).toMatchObject(EXPECTED);
    expect(res.headers['strict-transport-security']).toBe(hsts);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('/docs keeps every header but its own CSP', async () => {
    const res = await t.request('GET', '/docs');
    const { 'content-security-policy': csp, ...rest } = EXPECTED;
    expect(res.headers).toMatchObject(rest);
    expect(res.headers['content-security-policy']).not.toBe(csp);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

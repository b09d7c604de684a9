import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { startServer } from '../support/server-process.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
let cors: TestApp;
let pair: { access_token: string; refresh_token: string };
beforeAll(async () => {
  [t, cors] = await Promise.all([createTestApp(), createTestApp({ CORS_ORIGINS: 'https://a.example, https://b.example' })]);
  pair = await registerUser(t, 'helmut');
});
afterAll(async () => Promise.all([t.close(), cors.close()]));

const ALLOWED = 'https://a.example';
const directives = (res: LightMyRequestResponse) => String(res.headers['content-security-policy']).split(/;\s*/);
const preflight = (app: TestApp, origin: string, url = '/v1/user/profile') =>
  app.request('OPTIONS', url, {
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, content-type' },
  });

describe('security headers', () => {
  it('sends nosniff, no-referrer, a deny-all CSP and no X-Powered-By on every API answer', async () => {
    const answers = [
      await t.request('GET', '/v1/user/profile', { token: pair.access_token }),
      await t.request('GET', '/v1/user/profile'),
      await t.request('GET', '/v1/auth/publicKey'),
      await t.request('GET', '/no/such/route'),
      await t.request('GET', '/v1/user/confirm/%E0%A4%A'),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 200, 404, 400]);
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers).not.toHaveProperty('x-powered-by');
      expect(directives(res)).toEqual(expect.arrayContaining(["default-src 'none'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]));
    }
    for (const res of answers.slice(0, 4)) expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves /docs under a strict self-only CSP that still lets every asset of the page load', async () => {
    const page = await t.request('GET', '/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = directives(page);
    expect(csp).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]));
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    // nothing inline for script-src 'self' to block, and every asset is same-origin
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of [...assets, '/docs/json']) {
      expect(asset).toMatch(/^\/docs\//);
      expect((await t.request('GET', asset)).statusCode, asset).toBe(200);
    }
    const legacy = await t.request('GET', '/docs/static/index.html');
    expect(legacy.statusCode).toBe(302);
    expect(legacy.headers.location).toBe('/docs/');
  });

  it('sends HSTS only when PUBLIC_URL is https', async () => {
    expect((await t.request('GET', '/healthz')).headers).not.toHaveProperty('strict-transport-security');
    const tls = await createTestApp({ PUBLIC_URL: 'https://auth.example' });
    try {
      const res = await tls.request('GET', '/healthz');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(directives(await tls.request('GET', '/docs'))).toContain('upgrade-insecure-requests');
    } finally {
      await tls.close();
    }
  });

  it('marks every answer that carries a token or a profile no-store', async () => {
    const answers = [
      await t.request('POST', '/v1/auth/login', { body: { username: 'helmut', password: STRONG_PASSWORD } }),
      await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } }),
      await t.request('GET', '/v1/user/profile', { token: pair.access_token }),
      await t.request('POST', '/api/Auth/Auth', { body: { login: 'helmut', password: STRONG_PASSWORD } }),
      await t.request('POST', '/user/login', { body: { username: 'helmut', password: STRONG_PASSWORD } }),
      await t.request('POST', '/oauth2/token', {
        body: `grant_type=password&username=helmut&password=${encodeURIComponent(STRONG_PASSWORD)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('CORS', () => {
  it('is off by default: no Access-Control-* header on a cross-origin request or preflight', async () => {
    const simple = await t.request('GET', '/healthz', { headers: { origin: ALLOWED } });
    const pre = await preflight(t, ALLOWED);
    for (const res of [simple, pre]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(pre.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('echoes only the configured origins exactly, with Vary: Origin, never * and never credentials', async () => {
    for (const origin of ['https://a.example', 'https://b.example']) {
      const res = await cors.request('GET', '/v1/user/profile', { headers: { origin } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(String(res.headers.vary)).toMatch(/\bOrigin\b/i);
      expect(String(res.headers['access-control-expose-headers'])).toMatch(/WWW-Authenticate/i);
    }
    const strangers = ['https://evil.example', 'https://a.example.evil.example', 'http://a.example', 'https://a.example:8443', 'null', '*'];
    for (const origin of [...strangers, undefined]) {
      const res = await cors.request('GET', '/healthz', { headers: origin === undefined ? {} : { origin } });
      expect(res.headers, String(origin)).not.toHaveProperty('access-control-allow-origin');
      expect(res.headers).not.toHaveProperty('access-control-allow-credentials');
      expect(String(res.headers.vary)).toMatch(/\bOrigin\b/i);
    }
  });

  it('answers a preflight from an allowed origin for Authorization and Content-Type, and no other', async () => {
    const ok = await preflight(cors, ALLOWED);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(ok.headers['access-control-allow-methods'])).toMatch(/\bGET\b.*\bPOST\b/);
    const headers = String(ok.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
    expect(headers).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(ok.headers['access-control-max-age']).toBe('600');
    expect(ok.headers).not.toHaveProperty('access-control-allow-credentials');
    const evil = await preflight(cors, 'https://evil.example', '/v1/auth/login');
    expect(evil.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('takes CORS_ORIGINS as exact origins only', () => {
    const origins = (raw: string) => loadConfig({ CORS_ORIGINS: raw }).config.CORS_ORIGINS;
    expect(loadConfig({}).config.CORS_ORIGINS).toBeUndefined();
    expect(origins('https://A.example:443/, http://localhost:3000')).toEqual(['https://a.example', 'http://localhost:3000']);
    for (const bad of ['*', 'null', 'https://a.example/app', 'https://*.example', 'ftp://a.example', 'a.example', 'https://u:p@a.example', 'https://a.example?x']) {
      expect(() => origins(bad), bad).toThrow(ConfigError);
    }
  });

  it('works through the real server process started with CORS_ORIGINS', async () => {
    const server = await startServer({ env: { CORS_ORIGINS: ALLOWED } });
    try {
      const res = await fetch(`${server.url}/v1/auth/login`, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      const docs = await fetch(`${server.url}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await server.stop();
    }
  });
});

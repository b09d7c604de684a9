import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Every documented path of every surface, as API.md and the seeds name them. */
const EXPECTED: Array<[string, string]> = [
  ['post', '/api/Auth/Auth'],
  ['post', '/user/login'],
  ['post', '/authheader/add'],
  ['get', '/authheader/list'],
  ['post', '/authheader/delete'],
  ['post', '/v1/user'],
  ['get', '/v1/user/profile'],
  ['post', '/v1/user/address'],
  ['post', '/v1/user/password/restore'],
  ['get', '/v1/user/confirm/{code}'],
  ['post', '/v1/user/password/reset'],
  ['post', '/v1/user/resendEmail'],
  ['post', '/v1/user/password/change'],
  ['post', '/v1/auth/login'],
  ['post', '/v1/auth/token'],
  ['post', '/v1/auth/refresh'],
  ['post', '/v1/auth/logout'],
  ['get', '/v1/auth/publicKey'],
  ['post', '/v1/api/auth/token'],
  ['get', '/v1/api/auth/tokenInfo'],
  ['get', '/v1/api/auth/me'],
  ['get', '/.well-known/jwks.json'],
  ['get', '/.well-known/openid-configuration'],
  ['post', '/oauth2/token'],
  ['post', '/oauth2/introspect'],
  ['post', '/oauth2/revoke'],
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['post', '/v1/admin/users'],
  ['get', '/v1/admin/users'],
  ['patch', '/v1/admin/users/{id}'],
  ['post', '/v1/admin/keys/rotate'],
  ['post', '/v1/admin/issuers'],
  ['get', '/v1/admin/audit'],
];

interface Operation {
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('GET /openapi.json', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.request('GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    paths = res.json().paths;
  });
  afterAll(async () => t.close());

  it.each(EXPECTED)('documents %s %s with a 200 response schema', (method, path) => {
    const operation = paths[path]?.[method];
    expect(operation, `${method} ${path}`).toBeDefined();
    const ok = operation!.responses['200'] ?? operation!.responses['201'];
    expect(ok, `${method} ${path} success response`).toBeDefined();
  });

  it('gives every body-taking route its real request schema', () => {
    for (const [method, path] of EXPECTED.filter(([m]) => m === 'post' || m === 'patch')) {
      const body = paths[path]?.[method]?.requestBody;
      if (!body) continue; // rotate and the email-verify request take no body
      const schema = Object.values(body.content)[0]!.schema;
      expect(Object.keys(schema.properties ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
    }
    expect(Object.keys(paths['/api/Auth/Auth']!.post!.requestBody!.content['application/json']!.schema.properties!)).toEqual(['login', 'password']);
    expect(Object.keys(paths['/oauth2/token']!.post!.requestBody!.content)).toEqual(['application/x-www-form-urlencoded']);
  });
});

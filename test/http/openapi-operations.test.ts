/**
 * GET /openapi.json is usable by code generators: every operation has a stable, unique,
 * camelCase operationId from one table, the security schemes Tessera accepts are declared, and
 * throttling (429) and an unreachable database (503) are documented through shared responses.
 * A documented route without an entry in the table stops start-up.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOpenApi } from '../../src/http/shared/openapi.js';
import { OPERATIONS } from '../../src/http/shared/openapi-operations.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, Record<string, string>>;
    responses: Record<string, { headers?: Record<string, unknown>; content: Record<string, unknown> }>;
    schemas: Record<string, { required?: string[] }>;
  };
}

let t: TestApp;
let doc: Doc;
let operations: Array<{ key: string; path: string; op: Operation }>;
beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.request('GET', '/openapi.json')).json<Doc>();
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
  );
});
afterAll(async () => t.close());

describe('operationId', () => {
  it('every operation has one: camelCase and unique', () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
    const ids = operations.map(({ key, op }) => {
      expect(op.operationId, key).toMatch(/^[a-z][a-zA-Z0-9]+$/);
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('comes from the table, which names no route that is not documented', () => {
    const tableIds = Object.values(OPERATIONS).map((entry) => entry.id);
    expect(new Set(tableIds).size, 'an id is used twice in OPERATIONS').toBe(tableIds.length);
    expect(operations.map(({ op }) => op.operationId).sort()).toEqual([...tableIds].sort());
    expect(doc.paths['/v1/auth/login']!.post!.operationId).toBe('nativeLogin');
    expect(doc.paths['/oauth2/token']!.post!.operationId).toBe('oauth2Token');
  });
});

describe('security', () => {
  it('declares the four ways a caller authenticates', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      apiKeyAuthorization: { type: 'apiKey', in: 'header', name: 'Authorization' },
      oauthClientBasic: { type: 'http', scheme: 'basic' },
    });
    expect(doc.components.securitySchemes.apiKeyAuthorization!.description).toContain('ApiKey <key>');
  });

  it('every operation says what it accepts, with defined schemes only; public ones say []', () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const { key, op } of operations) {
      expect(Array.isArray(op.security), key).toBe(true);
      for (const requirement of op.security!) for (const name of Object.keys(requirement)) expect(schemes, key).toContain(name);
    }
    const security = (path: string, method: string) => doc.paths[path]![method]!.security;
    expect(security('/v1/auth/login', 'post')).toEqual([]);
    expect(security('/v1/user/profile', 'get')).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }, { apiKeyAuthorization: [] }]);
    expect(security('/authheader/add', 'post')).toEqual([{ bearerAuth: [] }]);
    expect(security('/v1/admin/users', 'get')).toEqual([{ bearerAuth: [] }]);
    expect(security('/v1/user/password/change', 'post')).toEqual([{ bearerAuth: [] }, {}]);
    expect(security('/oauth2/token', 'post')).toEqual([{ oauthClientBasic: [] }, {}]);
    expect(security('/oauth2/introspect', 'post')).toEqual([{ oauthClientBasic: [] }, { bearerAuth: [] }]);
  });
});

describe('shared responses', () => {
  const ref = (op: Operation, status: string) => op.responses[status]?.$ref;

  it('429 with Retry-After on every operation anyone can call with a username and a password', () => {
    const anyone = (op: Operation) => op.security!.length === 0 || op.security!.some((r) => Object.keys(r).length === 0);
    const candidates = operations.filter(({ op }) => {
      const props = Object.values(op.requestBody?.content ?? {})[0]?.schema.properties ?? {};
      return anyone(op) && 'password' in props && ('username' in props || 'login' in props);
    });
    expect(candidates.map(({ op }) => op.operationId).sort()).toEqual(
      ['authHeadersLogin', 'integrationLogin', 'iotToken', 'nativeChangePassword', 'nativeLogin', 'nativeRegister', 'oauth2Token'].sort(),
    );
    for (const { key, path, op } of candidates) {
      expect(ref(op, '429'), key).toBe(path.startsWith('/oauth2/') ? '#/components/responses/OAuthTooManyRequests' : '#/components/responses/TooManyRequests');
    }
    for (const name of ['TooManyRequests', 'OAuthTooManyRequests']) {
      expect(doc.components.responses[name]!.headers, name).toHaveProperty('Retry-After');
    }
  });

  it('429 on the mail-sending operations too', () => {
    for (const id of ['nativeRestorePassword', 'nativeResendEmail', 'nativeSendEmailVerification']) {
      const found = operations.find(({ op }) => op.operationId === id);
      expect(found && ref(found.op, '429'), id).toBe('#/components/responses/TooManyRequests');
    }
  });

  it('503 on every operation that reads the database (all but those the table marks offline)', () => {
    const offline = new Set(Object.values(OPERATIONS).filter((entry) => entry.offline).map((entry) => entry.id));
    expect(offline).toContain('getHealth');
    expect(offline.size).toBeLessThanOrEqual(3);
    for (const { key, op } of operations) {
      if (offline.has(op.operationId!)) expect(op.responses['503'], key).toBeUndefined();
      else {
        // problem JSON, or RFC 6749's temporarily_unavailable on /oauth2/*: a shared answer with Retry-After
        const name = /^#\/components\/responses\/((?:OAuth)?ServiceUnavailable)$/.exec(ref(op, '503') ?? '')?.[1];
        expect(name, key).toBeDefined();
        expect(doc.components.responses[name!]!.headers, key).toHaveProperty('Retry-After');
      }
    }
  });

  it('problem answers are application/problem+json with the one Problem schema', () => {
    expect(doc.components.schemas.Problem!.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    const login = doc.paths['/v1/auth/login']!.post!;
    expect(login.responses['401']!.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    expect(JSON.stringify(doc.paths)).not.toContain('"required":["type","title","status","detail","code"]');
  });
});

describe('start-up', () => {
  async function appWith(route: (app: ReturnType<typeof Fastify>) => void) {
    const app = Fastify();
    await registerOpenApi(app, { publicUrl: 'http://localhost:8080', version: '0.0.0', docsCsp: "default-src 'self'" });
    route(app);
    return app;
  }

  it('fails for a documented route without an entry in the table', async () => {
    const app = await appWith((a) => a.get('/v1/undocumented', { schema: { summary: 'new' } }, async () => ({})));
    await expect(app.ready()).rejects.toThrow(/GET \/v1\/undocumented has no entry in OPERATIONS/);
  });

  it('fails for a route without any schema too (swagger documents it all the same)', async () => {
    const app = await appWith((a) => a.post('/v1/bare', async () => ({})));
    await expect(app.ready()).rejects.toThrow(/POST \/v1\/bare has no entry in OPERATIONS/);
  });

  it('fails for a route with neither a guard nor a stated access rule', async () => {
    const app = await appWith((a) => a.get('/v1/user/profile', { schema: { summary: 'no guard here' } }, async () => ({})));
    await expect(app.ready()).rejects.toThrow(/GET \/v1\/user\/profile has no guard/);
  });

  it('leaves hidden routes alone', async () => {
    const app = await appWith((a) => a.get('/internal', { schema: { hide: true } }, async () => ({})));
    await app.ready();
    expect(Object.keys((app.swagger() as { paths: object }).paths)).toEqual([]);
    await app.close();
  });
});

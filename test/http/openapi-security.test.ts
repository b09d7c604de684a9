/**
 * The `security` of every operation in GET /openapi.json is what the server really accepts: each
 * operation is called with the same minimal valid request under each credential, and the answers
 * must agree with the document.
 * - lists the API key schemes: the admin's API key (X-API-Key and `ApiKey`) answers exactly as the
 *   admin's own token does;
 * - lists bearer but no API key scheme: the key is refused (4xx) where the token is not;
 * - needs a credential (no `{}`, not public): no credential is a 401 (or OAuth's 400 invalid_client);
 * - public (`[]`): a token changes nothing;
 * - lists HTTP Basic for OAuth clients: a wrong client secret is a 401, the right one is not.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  format?: string;
}
interface Operation {
  operationId: string;
  security: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const ADMIN = { username: 'doc-admin', password: 'a long admin passphrase for tests' };

/** A small value the schema accepts: required members only, strings of random letters and digits. */
function minimal(schema: Schema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return minimal(schema.anyOf[0]!);
  const type = [schema.type].flat()[0];
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, minimal(schema.properties?.[name] ?? {})]));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      // fresh each time, so no throttle counts two calls as the same username or address
      return schema.format === 'uuid' ? randomUUID() : randomUUID().replace(/-/g, '').padEnd(schema.minLength ?? 1, 'a').slice(0, Math.max(12, schema.minLength ?? 1));
  }
}

let t: TestApp;
let operations: Array<{ method: string; path: string; op: Operation }>;
let jwt: string;
let apiKey: string;
let client: { clientId: string; clientSecret: string };

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
  const login = await t.request('POST', '/v1/auth/login', { body: ADMIN });
  jwt = login.json<{ access_token: string }>().access_token;
  apiKey = (await t.request('POST', '/authheader/add', { body: { name: 'doc' }, token: jwt })).json<{ token: string }>().token;
  const created = await t.request('POST', '/v1/admin/clients', { body: { name: 'doc client', grantTypes: ['client_credentials', 'refresh_token'] }, token: jwt });
  expect(created.statusCode, created.body).toBe(201);
  client = created.json();
  const doc = (await t.request('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
});
afterAll(async () => t.close());

/** One call of the operation with its minimal request and these headers; answers the status. */
async function call(method: string, path: string, op: Operation, headers: Record<string, string>): Promise<number> {
  const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
  const content = op.requestBody?.content ?? {};
  const form = content['application/x-www-form-urlencoded'];
  const json = content['application/json'];
  let payload: string | undefined;
  if (form) {
    payload = new URLSearchParams(minimal(form.schema) as Record<string, string>).toString();
    headers = { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
  } else if (json) {
    payload = JSON.stringify(minimal(json.schema));
    headers = { ...headers, 'content-type': 'application/json' };
  }
  const res = await t.app.server.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
  expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(500);
  return res.statusCode;
}

const has = (op: Operation, scheme: string) => op.security.some((requirement) => scheme in requirement);
const anonymousAllowed = (op: Operation) => op.security.length === 0 || op.security.some((r) => Object.keys(r).length === 0);

describe('OpenAPI security matches what each operation accepts', () => {
  it('covers every operation', () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const { method, path, op } of operations) expect(Array.isArray(op.security), `${method} ${path}`).toBe(true);
  });

  it('API keys: the same answer as a token where the document lists them, refused where it does not', async () => {
    const bearer = { authorization: `Bearer ${jwt}` };
    let accepting = 0;
    let refusing = 0;
    for (const { method, path, op } of operations.filter(({ op }) => has(op, 'bearerAuth'))) {
      const withToken = await call(method, path, op, bearer);
      const withKey = await call(method, path, op, { 'x-api-key': apiKey });
      if (has(op, 'apiKeyHeader')) {
        expect(has(op, 'apiKeyAuthorization'), op.operationId).toBe(true);
        expect(withKey, `${op.operationId}: X-API-Key answers as the token does`).toBe(withToken);
        expect(await call(method, path, op, { authorization: `ApiKey ${apiKey}` }), `${op.operationId}: ApiKey scheme`).toBe(withToken);
        accepting++;
      } else {
        expect([400, 401, 403], `${op.operationId}: an API key is refused (token: ${withToken})`).toContain(withKey);
        expect(withKey, `${op.operationId}: the token is not refused the same way`).not.toBe(withToken);
        refusing++;
      }
    }
    expect(accepting).toBeGreaterThanOrEqual(5);
    expect(refusing).toBeGreaterThanOrEqual(20);
  });

  it('no credential: 401 where one is required; on a public operation a token changes nothing', async () => {
    for (const { method, path, op } of operations) {
      if (!anonymousAllowed(op)) {
        // RFC 6749 section 5.2: invalid_client is a 400 or a 401 when no credential was tried at all
        const refused = path.startsWith('/oauth2/') ? [400, 401] : [401];
        expect(refused, `${op.operationId} without a credential`).toContain(await call(method, path, op, {}));
      } else if (op.security.length === 0) {
        const anonymous = await call(method, path, op, {});
        expect(await call(method, path, op, { authorization: `Bearer ${jwt}` }), `${op.operationId} is public`).toBe(anonymous);
      }
    }
  });

  it('HTTP Basic for OAuth clients: a wrong secret is a 401, the right one is accepted', async () => {
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}` });
    const clientOps = operations.filter(({ op }) => has(op, 'oauthClientBasic'));
    expect(clientOps.map(({ op }) => op.operationId).sort()).toEqual(['oauth2Introspect', 'oauth2Revoke', 'oauth2Token']);
    for (const { method, path, op } of clientOps) {
      expect(await call(method, path, op, basic('wrong')), `${op.operationId} with a wrong secret`).toBe(401);
      expect(await call(method, path, op, basic(client.clientSecret)), `${op.operationId} with the client's secret`).not.toBe(401);
    }
  });
});

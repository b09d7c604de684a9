/**
 * Discovery says exactly what exists: one metadata document at both well-known paths (RFC 8414
 * and OIDC's), the configured issuer as is, no member for what Tessera does not do (authorization
 * endpoint, response types, ID tokens, PKCE, JWT client authentication), and every advertised
 * client authentication method really accepted by its endpoint.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const EXPECTED = {
  issuer: 'http://tessera.test',
  jwks_uri: 'http://tessera.test/.well-known/jwks.json',
  token_endpoint: 'http://tessera.test/oauth2/token',
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
  grant_types_supported: ['refresh_token', 'client_credentials', EXCHANGE, 'password'],
  response_types_supported: [],
  introspection_endpoint: 'http://tessera.test/oauth2/introspect',
  introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'Bearer'],
  revocation_endpoint: 'http://tessera.test/oauth2/revoke',
  revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
  service_documentation: 'http://tessera.test/docs',
};

type Metadata = typeof EXPECTED;

describe('authorization server metadata', () => {
  let t: TestApp;
  let client: { id: string; secret: string };
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}` });
    const made = await t.app.core.clients.register({ name: 'discovered', grantTypes: ['client_credentials', 'refresh_token', 'password'] }, {});
    client = { id: made.client.id, secret: made.clientSecret };
    admin = (await t.request('POST', '/v1/auth/login', { body: { username: 'root', password: STRONG_PASSWORD } })).json<{ access_token: string }>().access_token;
  });
  afterAll(async () => t.close());

  const metadata = async (url: string) => {
    const res = await t.request('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    return res.json<Metadata>();
  };

  it('is one document at /.well-known/oauth-authorization-server and /.well-known/openid-configuration', async () => {
    const rfc8414 = await metadata('/.well-known/oauth-authorization-server');
    const oidc = await metadata('/.well-known/openid-configuration');
    expect(rfc8414).toEqual(EXPECTED);
    expect(oidc).toEqual(rfc8414);
  });

  it('claims nothing that does not exist', async () => {
    const doc: Record<string, unknown> = await metadata('/.well-known/oauth-authorization-server');
    for (const absent of [
      'authorization_endpoint',
      'code_challenge_methods_supported',
      'id_token_signing_alg_values_supported',
      'subject_types_supported',
      'claims_supported',
      'userinfo_endpoint',
      'scopes_supported',
      'token_endpoint_auth_signing_alg_values_supported',
    ]) {
      expect(doc, absent).not.toHaveProperty(absent);
    }
    expect(doc.response_types_supported).toEqual([]);
    // the service documentation is there
    expect((await t.request('GET', '/docs')).statusCode).toBeLessThan(400);
  });

  /** One request per advertised method: each must get past client authentication. */
  it('every advertised client authentication method is accepted by its endpoint', async () => {
    const doc = await metadata('/.well-known/oauth-authorization-server');
    const user = await registerUser(t, 'discovery-user@example.com');
    const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      t.request('POST', url, { body: new URLSearchParams(form).toString(), headers: { ...FORM, ...headers } });
    const bodySecret = { client_id: client.id, client_secret: client.secret };
    const byMethod: Record<string, Record<string, () => Promise<LightMyRequestResponse>>> = {
      '/oauth2/token': {
        client_secret_basic: () => post('/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) }),
        client_secret_post: () => post('/oauth2/token', { grant_type: 'client_credentials', ...bodySecret }),
        none: () => post('/oauth2/token', { grant_type: 'password', username: 'discovery-user@example.com', password: STRONG_PASSWORD }),
      },
      '/oauth2/introspect': {
        client_secret_basic: () => post('/oauth2/introspect', { token: user.access_token }, { authorization: basic(client.id, client.secret) }),
        client_secret_post: () => post('/oauth2/introspect', { token: user.access_token, ...bodySecret }),
        Bearer: () => post('/oauth2/introspect', { token: user.access_token }, { authorization: `Bearer ${admin}` }),
      },
      '/oauth2/revoke': {
        client_secret_basic: () => post('/oauth2/revoke', { token: 'never-issued' }, { authorization: basic(client.id, client.secret) }),
        client_secret_post: () => post('/oauth2/revoke', { token: 'never-issued', ...bodySecret }),
        none: () => post('/oauth2/revoke', { token: 'never-issued' }),
      },
    };
    const advertised: Array<[string, string[]]> = [
      ['/oauth2/token', doc.token_endpoint_auth_methods_supported],
      ['/oauth2/introspect', doc.introspection_endpoint_auth_methods_supported],
      ['/oauth2/revoke', doc.revocation_endpoint_auth_methods_supported],
    ];
    for (const [endpoint, methods] of advertised) {
      expect(Object.keys(byMethod[endpoint]!).sort(), endpoint).toEqual([...methods].sort());
      for (const method of methods) {
        const res = await byMethod[endpoint]![method]!();
        expect(res.statusCode, `${endpoint} ${method}: ${res.body}`).toBe(200);
      }
    }
    // and what is not advertised is refused: introspection without any caller
    const anonymous = await post('/oauth2/introspect', { token: user.access_token });
    expect(anonymous.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('is no OAuth endpoint: a bad X-nugios-timezone there is problem JSON, as on every route', async () => {
    for (const url of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await t.request('GET', url, { headers: { 'x-nugios-timezone': 'abc' } });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('the OpenAPI document describes the metadata members it really has', async () => {
    const spec = (await t.request('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
    const doc = await metadata('/.well-known/oauth-authorization-server');
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const ok = spec.paths[path]?.get?.responses['200'] as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      expect(Object.keys(ok.content['application/json']!.schema.properties).sort(), path).toEqual(Object.keys(doc).sort());
    }
  });
});

describe('metadata under other settings', () => {
  it('drops password from grant_types_supported when the grant is off, in both documents', async () => {
    const off = await createTestApp({ OAUTH_PASSWORD_GRANT: 'false' });
    try {
      for (const url of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
        expect((await off.request('GET', url)).json().grant_types_supported, url).toEqual(['refresh_token', 'client_credentials', EXCHANGE]);
      }
    } finally {
      await off.close();
    }
  });

  it('an issuer with a path: issuer as configured, and the document at the RFC 8414 issuer path too', async () => {
    const tenant = await createTestApp({ PUBLIC_URL: 'https://auth.example.com/tenant' });
    try {
      const root = (await tenant.request('GET', '/.well-known/oauth-authorization-server')).json<Metadata>();
      expect(root.issuer).toBe('https://auth.example.com/tenant');
      expect(root.token_endpoint).toBe('https://auth.example.com/tenant/oauth2/token');
      const atPath = await tenant.request('GET', '/.well-known/oauth-authorization-server/tenant');
      expect(atPath.statusCode).toBe(200);
      expect(atPath.json()).toEqual(root);
      expect((await tenant.request('GET', '/.well-known/openid-configuration')).json()).toEqual(root);
    } finally {
      await tenant.close();
    }
  });
});

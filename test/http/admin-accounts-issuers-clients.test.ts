import { randomUUID } from 'node:crypto';
import { decodeJwt, exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretHash } from '../../src/core/secrets.js';
import { expectFieldError, expectProblem, login, type TokenPair } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const ADMIN = { username: 'overseer', password: 'a long admin passphrase for tests' };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` });
  admin = (await login(t, ADMIN.username, ADMIN.password)).access_token;
});
afterAll(async () => t.close());

const post = (url: string, body: unknown) => t.request('POST', url, { token: admin, body });

describe('admin: accounts and members', () => {
  const accountsOf = (token: string) => decodeJwt(token).accounts as { id: string; role: string }[];

  it('creates an account and its memberships reach the accounts claim of the next login', async () => {
    const created = await post('/v1/admin/accounts', { name: '  Acme Works ' });
    expect(created.statusCode, created.body).toBe(201);
    const account = created.json<{ id: string; name: string }>();
    expect(account.name).toBe('Acme Works');
    const userId = decodeJwt((await registerUser(t, 'worker')).access_token).sub!;

    const put = await t.request('PUT', `/v1/admin/accounts/${account.id}/members/${userId}`, { token: admin, body: { role: 'member' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ accountId: account.id, userId, role: 'member' });
    expect(accountsOf((await login(t, 'worker')).access_token)).toEqual([{ id: account.id, role: 'member' }]);

    await t.request('PUT', `/v1/admin/accounts/${account.id}/members/${userId}`, { token: admin, body: { role: 'owner' } });
    expect(accountsOf((await login(t, 'worker')).access_token)).toEqual([{ id: account.id, role: 'owner' }]);

    const removed = await t.request('DELETE', `/v1/admin/accounts/${account.id}/members/${userId}`, { token: admin });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(accountsOf((await login(t, 'worker')).access_token)).toEqual([]);
    expectProblem(await t.request('DELETE', `/v1/admin/accounts/${account.id}/members/${userId}`, { token: admin }), 404, 'not_found');
  });

  it('answers 404 for an unknown user or account, 400 for a bad role or an empty name', async () => {
    const account = (await post('/v1/admin/accounts', { name: 'Lonely' })).json<{ id: string }>();
    const userId = decodeJwt((await registerUser(t, 'loner')).access_token).sub!;
    const member = (accountId: string, user: string, role = 'member') =>
      t.request('PUT', `/v1/admin/accounts/${accountId}/members/${user}`, { token: admin, body: { role } });
    expectProblem(await member(account.id, UNKNOWN), 404, 'not_found');
    expectProblem(await member(UNKNOWN, userId), 404, 'not_found');
    expectFieldError(await member(account.id, userId, 'Boss!'), 'role');
    expectFieldError(await post('/v1/admin/accounts', { name: '   ' }), 'name');
    expectFieldError(await post('/v1/admin/accounts', {}), 'name');
  });
});

describe('admin: trusted issuers and POST /v1/auth/token', () => {
  const ISSUER = 'https://idp.example.com';
  let privateKey: CryptoKey;
  let pem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    pem = await exportSPKI(pair.publicKey);
  });

  /** A token from the external issuer: valid unless the test overrides a part. */
  async function external(claims: JWTPayload = {}, header: Partial<JWTHeaderParameters> = {}, key: CryptoKey | Uint8Array = privateKey) {
    const now = Math.floor(t.clock.now() / 1000);
    return new SignJWT({ iss: ISSUER, sub: 'alice-42', aud: 'tessera-test', iat: now, exp: now + 300, jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'RS256', ...header })
      .sign(key);
  }
  const exchange = (token: string) => t.request('POST', '/v1/auth/token', { body: { token } });

  it('registers a PEM issuer; its tokens buy a session of one linked local user', async () => {
    const res = await post('/v1/admin/issuers', { issuer: ISSUER, publicKeyPem: pem, audience: 'tessera-test', requireJti: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ issuer: ISSUER, audience: 'tessera-test', requireJti: true, algorithms: ['RS256', 'PS256'] });
    const listed = (await t.request('GET', '/v1/admin/issuers', { token: admin })).json<{ issuer: string }[]>();
    expect(listed.map((i) => i.issuer)).toContain(ISSUER);

    const first = await exchange(await external());
    expect(first.statusCode, first.body).toBe(200);
    const pair = first.json<TokenPair>();
    expect(pair.token_type).toBe('Bearer');
    const sub = decodeJwt(pair.access_token).sub;
    const second = await exchange(await external());
    expect(second.statusCode, second.body).toBe(200);
    expect(decodeJwt(second.json<TokenPair>().access_token).sub).toBe(sub);
    // another subject is another user; the token pair works like any other
    const other = await exchange(await external({ sub: 'bob-7' }));
    expect(decodeJwt(other.json<TokenPair>().access_token).sub).not.toBe(sub);
    expect((await t.request('GET', '/v1/user/profile', { token: pair.access_token })).statusCode).toBe(200);
    expect((await t.request('POST', '/v1/auth/refresh', { body: { token: pair.refresh_token } })).statusCode).toBe(200);
  });

  it('refuses replays, unknown issuers, expiry, wrong audience, other keys, alg none, HS256 and key-choosing headers', async () => {
    const replayed = await external();
    expect((await exchange(replayed)).statusCode).toBe(200);
    const stranger = await generateKeyPair('RS256');
    const now = Math.floor(t.clock.now() / 1000);
    const refused = {
      replay: replayed,
      'unknown issuer': await external({ iss: 'https://evil.example.com' }),
      expired: await external({ iat: now - 900, exp: now - 600 }),
      'no exp': await external({ exp: undefined }),
      'no jti': await external({ jti: undefined }),
      'wrong audience': await external({ aud: 'someone-else' }),
      'no audience': await external({ aud: undefined }),
      'another key': await external({}, {}, stranger.privateKey),
      'alg none': new UnsecuredJWT({ sub: 'alice-42', aud: 'tessera-test', jti: randomUUID() }).setIssuer(ISSUER).setExpirationTime(now + 300).encode(),
      'HS256 with the public key as secret': await external({}, { alg: 'HS256' }, new TextEncoder().encode(pem)),
      jku: await external({}, { jku: 'https://evil.example.com/jwks.json' }),
      x5u: await external({}, { x5u: 'https://evil.example.com/cert.pem' }),
    };
    for (const [name, token] of Object.entries(refused)) {
      const res = await exchange(token);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(401);
      expectProblem(res, 401);
    }
  });

  it('refuses a token once its expiry has passed on the server clock', async () => {
    const token = await external();
    t.clock.advanceSeconds(301 + 60);
    expectProblem(await exchange(token), 401);
  });

  it('answers 400 for a duplicate issuer, a bad PEM, a private JWK, and for neither or both keys', async () => {
    expectFieldError(await post('/v1/admin/issuers', { issuer: ISSUER, publicKeyPem: pem, audience: 'tessera-test' }), 'issuer');
    const audience = 'tessera-test';
    expectFieldError(await post('/v1/admin/issuers', { issuer: 'https://bad.example', publicKeyPem: 'not a key', audience }), 'publicKeyPem');
    const truncated = pem.split('\n').slice(0, 3).join('\n');
    expectFieldError(await post('/v1/admin/issuers', { issuer: 'https://bad2.example', publicKeyPem: truncated, audience }), 'publicKeyPem');
    expectFieldError(await post('/v1/admin/issuers', { issuer: 'https://none.example', audience }), 'publicKeyPem');
    const ec = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(ec.publicKey);
    expectFieldError(await post('/v1/admin/issuers', { issuer: 'https://both.example', publicKeyPem: pem, jwks: { keys: [jwk] }, audience }), 'publicKeyPem');
    expectFieldError(await post('/v1/admin/issuers', { issuer: 'https://private.example', jwks: { keys: [await exportJWK(ec.privateKey)] }, audience }), 'jwks');
  });

  it('registers a JWKS issuer (EC P-256) and deleting an issuer ends its trust', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'k1', alg: 'ES256' };
    const res = await post('/v1/admin/issuers', { issuer: 'https://jwks.example', jwks: { keys: [jwk] }, audience: 'tessera-jwks' });
    expect(res.statusCode, res.body).toBe(201);
    const issuer = res.json<{ id: string; algorithms: string[]; audience: string | null }>();
    expect(issuer.algorithms).toEqual(['ES256']);
    expect(issuer.audience).toBe('tessera-jwks');
    const now = Math.floor(t.clock.now() / 1000);
    const sign = () =>
      new SignJWT({ sub: 'carol', jti: randomUUID() }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer('https://jwks.example').setAudience('tessera-jwks').setExpirationTime(now + 300).sign(ec.privateKey);
    expect((await exchange(await sign())).statusCode).toBe(200);

    const deleted = await t.request('DELETE', `/v1/admin/issuers/${issuer.id}`, { token: admin });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expectProblem(await exchange(await sign()), 401);
    expectProblem(await t.request('DELETE', `/v1/admin/issuers/${issuer.id}`, { token: admin }), 404, 'not_found');
    const listed = (await t.request('GET', '/v1/admin/issuers', { token: admin })).json<{ id: string }[]>();
    expect(listed.map((i) => i.id)).not.toContain(issuer.id);
  });
});

describe('admin: OAuth clients', () => {
  it('shows the secret once; the list never shows it or its hash; delete ends it', async () => {
    const res = await post('/v1/admin/clients', { name: 'billing-sync', roles: ['reader'] });
    expect(res.statusCode, res.body).toBe(201);
    const client = res.json<{ clientId: string; clientSecret: string; name: string; grantTypes: string[]; roles: string[] }>();
    expect(client).toMatchObject({ name: 'billing-sync', grantTypes: ['client_credentials'], roles: ['reader'] });
    expect(client.clientSecret.length).toBeGreaterThanOrEqual(43);
    expect(res.body).not.toContain(secretHash(client.clientSecret));
    // the secret shown is the one that authenticates
    expect((await t.app.core.clients.authenticate(client.clientId, client.clientSecret)).id).toBe(client.clientId);

    const list = await t.request('GET', '/v1/admin/clients', { token: admin });
    expect(list.statusCode).toBe(200);
    const listed = list.json<Record<string, unknown>[]>();
    expect(listed.find((c) => c.clientId === client.clientId)).toMatchObject({ name: 'billing-sync', roles: ['reader'] });
    expect(list.body).not.toContain(client.clientSecret);
    expect(list.body).not.toContain(secretHash(client.clientSecret));
    // no member carries a secret (the auth method's name, client_secret_basic, is no secret)
    expect(Object.keys(list.json<Record<string, unknown>[]>()[0]!).filter((k) => /secret/i.test(k))).toEqual([]);

    const deleted = await t.request('DELETE', `/v1/admin/clients/${client.clientId}`, { token: admin });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expectProblem(await t.request('DELETE', `/v1/admin/clients/${client.clientId}`, { token: admin }), 404, 'not_found');
    const after = (await t.request('GET', '/v1/admin/clients', { token: admin })).json<{ clientId: string }[]>();
    expect(after.map((c) => c.clientId)).not.toContain(client.clientId);
    await expect(t.app.core.clients.authenticate(client.clientId, client.clientSecret)).rejects.toMatchObject({ code: 'invalid_client' });
  });

  it('takes grant types, and answers 400 for an unknown grant type, a bad role or no name', async () => {
    const res = await post('/v1/admin/clients', { name: 'exchanger', grantTypes: ['urn:ietf:params:oauth:grant-type:token-exchange', 'refresh_token'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ grantTypes: string[] }>().grantTypes).toEqual(['urn:ietf:params:oauth:grant-type:token-exchange', 'refresh_token']);
    expectFieldError(await post('/v1/admin/clients', { name: 'x', grantTypes: ['implicit'] }), 'grantTypes.0');
    expectFieldError(await post('/v1/admin/clients', { name: 'x', roles: ['Not A Role'] }), 'roles');
    expectFieldError(await post('/v1/admin/clients', { name: '  ' }), 'name');
    expectFieldError(await post('/v1/admin/clients', {}), 'name');
  });
});

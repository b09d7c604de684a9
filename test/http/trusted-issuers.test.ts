/**
 * Trusted issuers on POST /v1/auth/token, on SQLite and on PostgreSQL: the audience is required,
 * `jti` is optional (required per issuer) and remembered as long as the token is accepted, the
 * local user is keyed by the exact `sub`, and claim values that reach a query unchecked by any
 * schema are a 401 on both backends, never a 500.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrustedIssuer } from '../../src/core/issuers/issuer.types.js';
import { Argon2Hasher } from '../../src/infra/argon2-hasher.js';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { openDatabase, parseDatabaseUrl } from '../../src/storage/open-database.js';
import { expectFieldError, expectProblem, login, type TokenPair } from '../support/native-helpers.js';
import { dropSchema, POSTGRES_REQUIRED, postgresUnavailable, testSchemaName, urlWithSchema } from '../support/postgres.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

const AUDIENCE = 'tessera-at-acme';
const TOLERANCE = 30;
const unavailable = await postgresUnavailable();
if (unavailable && !POSTGRES_REQUIRED) console.warn(`skipping the trusted-issuer tests on PostgreSQL: ${unavailable}`);
const pgSchema = testSchemaName();
const backends = [
  { name: 'SQLite', env: (): Record<string, string> => ({}), skip: false },
  { name: 'PostgreSQL', env: () => ({ DATABASE_URL: urlWithSchema(pgSchema) }), skip: unavailable !== undefined && !POSTGRES_REQUIRED },
];
afterAll(async () => {
  if (!unavailable) await dropSchema(pgSchema);
});
afterEach(() => vi.restoreAllMocks());

describe.each(backends)('trusted issuers on $name', ({ name, env, skip }) => {
  let t: TestApp;
  let admin: string;
  let key: CryptoKey;
  let pem: string;

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL' && unavailable) throw new Error(`PostgreSQL required in CI: ${unavailable}`);
    t = await createTestApp({ ...env(), CLOCK_TOLERANCE: String(TOLERANCE), TESSERA_BOOTSTRAP_ADMIN: `overseer:${STRONG_PASSWORD}` });
    admin = (await login(t, 'overseer')).access_token;
    const pair = await generateKeyPair('RS256', { extractable: true });
    [key, pem] = [pair.privateKey, await exportSPKI(pair.publicKey)];
  });
  afterAll(async () => t?.close());

  const post = (url: string, body: unknown) => t.request('POST', url, { token: admin, body });
  const patch = (id: string, body: unknown) => t.request('PATCH', `/v1/admin/issuers/${id}`, { token: admin, body });
  const exchange = (token: string) => t.request('POST', '/v1/auth/token', { body: { token } });
  const nowSeconds = () => Math.floor(t.clock.now() / 1000);
  const subOf = (res: Awaited<ReturnType<typeof exchange>>) => decodeJwt(res.json<TokenPair>().access_token).sub;

  /** Registers a fresh issuer (its own `iss`) with the shared key. */
  async function issuer(extra: Record<string, unknown> = {}): Promise<TrustedIssuer> {
    const res = await post('/v1/admin/issuers', { issuer: `https://idp-${randomUUID()}.example`, publicKeyPem: pem, audience: AUDIENCE, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<TrustedIssuer>();
  }
  /** A token of `iss`: valid for Tessera unless a claim is overridden (undefined drops it). */
  function token(iss: string, claims: JWTPayload = {}): Promise<string> {
    const all: JWTPayload = { iss, sub: 'alice', aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 300, jti: randomUUID(), ...claims };
    const present = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
    return new SignJWT(present).setProtectedHeader({ alg: 'RS256' }).sign(key);
  }

  describe.skipIf(skip)('audience', () => {
    it('is required to register an issuer, and shown with requireJti', async () => {
      const base = { issuer: 'https://no-audience.example', publicKeyPem: pem };
      expectFieldError(await post('/v1/admin/issuers', base), 'audience');
      expectFieldError(await post('/v1/admin/issuers', { ...base, audience: '   ' }), 'audience');
      expectFieldError(await post('/v1/admin/issuers', { ...base, audience: '' }), 'audience');
      const registered = await issuer();
      expect(registered).toMatchObject({ audience: AUDIENCE, requireJti: false });
      const listed = (await t.request('GET', '/v1/admin/issuers', { token: admin })).json<TrustedIssuer[]>();
      expect(listed.find((i) => i.id === registered.id)).toMatchObject({ audience: AUDIENCE, requireJti: false });
    });

    it('refuses a token for another audience or none; accepts ours, alone or among others', async () => {
      const { issuer: iss } = await issuer();
      expectProblem(await exchange(await token(iss, { aud: 'another-relying-party' })), 401, 'invalid_credentials');
      expectProblem(await exchange(await token(iss, { aud: undefined })), 401, 'invalid_credentials');
      expectProblem(await exchange(await token(iss, { aud: [`${AUDIENCE}-x`, 'other'] })), 401, 'invalid_credentials');
      expect((await exchange(await token(iss))).statusCode).toBe(200);
      expect((await exchange(await token(iss, { aud: ['other', AUDIENCE] }))).statusCode).toBe(200);
    });

    it('an issuer registered before audiences were required accepts nothing until PATCH sets one', async () => {
      const opened = await openDatabase(parseDatabaseUrl(t.app.config.DATABASE_URL));
      const store = createKyselyStore(opened.db);
      const iss = `https://legacy-${randomUUID()}.example`;
      const id = randomUUID();
      try {
        await store.issuers.insert({ id, issuer: iss, audience: null, requireJti: false, jwks: null, publicKeyPem: pem, algorithms: ['RS256'], createdAt: t.clock.now() });
      } finally {
        await store.close();
      }
      const listed = (await t.request('GET', '/v1/admin/issuers', { token: admin })).json<TrustedIssuer[]>();
      expect(listed.find((i) => i.id === id)).toMatchObject({ audience: null, requireJti: false });
      for (const aud of [AUDIENCE, undefined, 'anything']) expectProblem(await exchange(await token(iss, { aud })), 401, 'invalid_credentials');

      expectFieldError(await patch(id, { audience: ' ' }), 'audience');
      expectProblem(await patch(id, {}), 400);
      expectProblem(await patch(randomUUID(), { audience: AUDIENCE }), 404, 'not_found');
      const set = await patch(id, { audience: AUDIENCE });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ id, audience: AUDIENCE, requireJti: false });
      expect((await exchange(await token(iss))).statusCode).toBe(200);
      expectProblem(await exchange(await token(iss, { aud: 'anything' })), 401, 'invalid_credentials');
    });
  });

  describe.skipIf(skip)('jti', () => {
    it('is optional: a token without one is accepted (ID tokens of many providers have none)', async () => {
      const { issuer: iss } = await issuer();
      const res = await exchange(await token(iss, { jti: undefined }));
      expect(res.statusCode, res.body).toBe(200);
    });

    it('is required with requireJti, at registration or set later', async () => {
      const strict = await issuer({ requireJti: true });
      expect(strict.requireJti).toBe(true);
      expectProblem(await exchange(await token(strict.issuer, { jti: undefined })), 401, 'invalid_credentials');
      expect((await exchange(await token(strict.issuer))).statusCode).toBe(200);
      const lax = await issuer();
      expect((await patch(lax.id, { requireJti: true })).json()).toMatchObject({ requireJti: true });
      expectProblem(await exchange(await token(lax.issuer, { jti: undefined })), 401, 'invalid_credentials');
    });

    it('is refused again while the token is accepted, clock tolerance included', async () => {
      const { issuer: iss } = await issuer();
      const once = await token(iss, { exp: nowSeconds() + 60 });
      expect((await exchange(once)).statusCode).toBe(200);
      expectProblem(await exchange(once), 401, 'invalid_credentials');
      t.clock.advanceSeconds(60 + TOLERANCE - 5); // past exp, still within the tolerance
      expect((await exchange(await token(iss))).statusCode).toBe(200); // an unrelated token forgets expired ids
      expectProblem(await exchange(once), 401, 'invalid_credentials');
      t.clock.advanceSeconds(10); // past exp + tolerance: refused as expired
      expectProblem(await exchange(once), 401, 'invalid_credentials');
    });
  });

  describe.skipIf(skip)('external subjects', () => {
    it('`Bob` and `bob` are two people, and each signs in again as themselves', async () => {
      const { issuer: iss } = await issuer();
      const subs = ['Bob', 'bob', 'BOB', '\uFF42\uFF4F\uFF42', ' bob'];
      const first = [];
      for (const sub of subs) {
        const res = await exchange(await token(iss, { sub }));
        expect(res.statusCode, `${sub}: ${res.body}`).toBe(200);
        first.push(subOf(res));
      }
      expect(new Set(first).size).toBe(subs.length);
      for (const [i, sub] of subs.entries()) expect(subOf(await exchange(await token(iss, { sub }))), sub).toBe(first[i]);
    });

    it('cost one argon2 verify on a password login, like an unknown user, and answer alike', async () => {
      const registered = await issuer();
      await exchange(await token(registered.issuer, { sub: 'carol' }));
      const verify = vi.spyOn(Argon2Hasher.prototype, 'verify');
      const attempt = (username: string) => t.request('POST', '/v1/auth/login', { body: { username, password: 'a guess at the password' } });
      const unknown = await attempt('nobody-at-all');
      const unknownVerifies = verify.mock.calls.length;
      verify.mockClear();
      const external = await attempt(`ext:${registered.id}:carol`);
      expect(unknownVerifies).toBe(1);
      expect(verify.mock.calls.length).toBe(unknownVerifies);
      expect(verify.mock.calls[0]![0]).toMatch(/^\$argon2id\$/);
      expect([external.statusCode, external.json()]).toEqual([unknown.statusCode, unknown.json()]);
    });
  });

  describe.skipIf(skip)('claim values no schema checked are a 401, never a 500', () => {
    it('iss: NUL, control characters, a lone surrogate, absurd length, not a string', async () => {
      for (const iss of ['https://idp\u0000.example', 'https://idp\u0007.example', 'https://idp\ud800.example', `https://${'a'.repeat(1500)}.example`, 42, ['https://a.example']]) {
        const res = await exchange(await token(iss as string));
        expect(res.statusCode, `${JSON.stringify(iss).slice(0, 40)}: ${res.body}`).toBe(401);
        expectProblem(res, 401, 'invalid_credentials');
      }
    });

    it('sub and jti: NUL, control characters, a lone surrogate, absurd length, not a string', async () => {
      const { issuer: iss } = await issuer();
      const bad = ['a\u0000b', 'a\u001bb', 'a\udfffb', 'x'.repeat(256), 7, { sub: 'x' }];
      for (const value of bad) {
        for (const claim of ['sub', 'jti']) {
          const res = await exchange(await token(iss, { [claim]: value }));
          expect(res.statusCode, `${claim}=${JSON.stringify(value).slice(0, 40)}: ${res.body}`).toBe(401);
          expectProblem(res, 401, 'invalid_credentials');
        }
      }
      expect((await exchange(await token(iss, { sub: 's'.repeat(255), jti: 'j'.repeat(255) }))).statusCode).toBe(200);
    });
  });
});

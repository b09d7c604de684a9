/**
 * Forged and malformed JWTs against every protected surface (RFC 8725, ASVS 5.0 V9): each attack
 * is a 401 problem (never a 500) on the native profile, seed 003's /me and seed 001's list.
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, exportSPKI, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/native-helpers.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const ROUTES = [['GET', '/v1/user/profile'], ['GET', '/v1/api/auth/me'], ['GET', '/authheader/list']] as const;
const te = new TextEncoder();
type Key = Parameters<SignJWT['sign']>[0];
type Claims = Record<string, unknown>;

let t: TestApp;
let [userId, sessionId, kid, alg, ourPem] = ['', '', '', '', ''];
let ourKey: CryptoKey, foreign: CryptoKey, ourKeyObject: KeyObject, ourJwk: JWK, foreignJwk: JWK;

beforeAll(async () => {
  t = await createTestApp();
  const pair = await registerUser(t, 'mallory-target');
  userId = (await t.request('GET', '/v1/user/profile', { token: pair.access_token })).json<{ id: string }>().id;
  sessionId = String(decodeJwt(pair.access_token).sid);
  const record = (await t.app.core.store.signingKeys.listVerifiable(0)).find((r) => r.retiredAt === null)!;
  ({ kid, alg, publicJwk: ourJwk } = record);
  ourKey = await importPKCS8(record.privatePem, 'RS256');
  ourKeyObject = createPrivateKey(record.privatePem);
  ourPem = await t.app.core.keys.publicKeyPem();
  const stranger = await generateKeyPair('RS256', { extractable: true });
  foreign = stranger.privateKey;
  foreignJwk = await exportJWK(stranger.publicKey);
});
afterAll(async () => t.close());

const now = () => Math.floor(t.clock.now() / 1000);
const strip = (o: Claims) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A token shaped like ours; claims and header members set to undefined are left out. */
function craft(claims: Claims = {}, header: Claims = {}, key: Key = ourKey): Promise<string> {
  const payload = strip({ iss: 'http://tessera.test', aud: 'tessera', sub: userId, iat: now(), exp: now() + 300, jti: randomUUID(), token_use: 'access', client_id: 'tessera-native', sid: sessionId, ...claims });
  const protectedHeader = strip({ alg: 'RS256', typ: 'at+jwt', kid, ...header }) as { alg: string };
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key);
}

async function expectRejected(token: string, label: string): Promise<void> {
  for (const [method, url] of ROUTES) {
    const res = await t.request(method, url, { token });
    expect(res.statusCode, `${label} on ${url}: ${res.body}`).toBe(401);
    expectProblem(res, 401, 'invalid_token');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  }
}

async function expectAccepted(token: string, label: string): Promise<void> {
  for (const [method, url] of ROUTES) expect((await t.request(method, url, { token })).statusCode, `${label} on ${url}`).toBe(200);
}

describe('forged access tokens (RFC 8725 2.1, 2.9, 3.1, 3.10; ASVS 5.0 V9.1.1-V9.1.3)', () => {
  it('control: a token made with our key and our claims is accepted everywhere', async () => {
    expect(alg).toBe('RS256');
    await expectAccepted(await craft(), 'control');
  });

  it('refuses alg none, with and without our kid', async () => {
    const claims = { iss: 'http://tessera.test', aud: 'tessera', sub: userId, iat: now(), exp: now() + 300, jti: randomUUID(), token_use: 'access' };
    await expectRejected(new UnsecuredJWT(claims).encode(), 'alg none');
    const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const none of ['none', 'None', 'NONE']) {
      await expectRejected(`${encode({ alg: none, typ: 'JWT', kid })}.${encode(claims)}.`, `alg ${none}`);
    }
    const signed = (await craft()).split('.');
    await expectRejected(`${encode({ alg: 'none', typ: 'JWT', kid })}.${signed[1]}.${signed[2]}`, 'alg none + real signature');
  });

  it('refuses HS256 keyed with our public key (PEM and JWK n), and PS256 with our own private key', async () => {
    await expectRejected(await craft({}, { alg: 'HS256' }, te.encode(ourPem)), 'HS256 PEM');
    await expectRejected(await craft({}, { alg: 'HS256' }, te.encode(ourPem.trim())), 'HS256 trimmed PEM');
    await expectRejected(await craft({}, { alg: 'HS256' }, te.encode(String(ourJwk.n))), 'HS256 n');
    await expectRejected(await craft({}, { alg: 'HS512' }, te.encode(JSON.stringify(ourJwk))), 'HS512 JWK JSON');
    await expectRejected(await craft({}, { alg: 'PS256' }, ourKeyObject), 'PS256 with our key: algorithm not pinned');
  });

  it('refuses a foreign key under our kid, an unknown kid and no kid', async () => {
    await expectRejected(await craft({}, {}, foreign), 'foreign key, our kid');
    await expectRejected(await craft({}, { kid: 'not-one-of-ours' }, foreign), 'unknown kid, foreign key');
    await expectRejected(await craft({}, { kid: 'not-one-of-ours' }), 'unknown kid, our key');
    await expectRejected(await craft({}, { kid: undefined }), 'no kid');
  });

  it('refuses hostile kid values without an error', async () => {
    const kids: unknown[] = ['../../etc/passwd', "' OR 1=1 --", 'k'.repeat(10 * 1024), 42, null, { $ne: null }, [kid], '', `${kid}\u0000`];
    for (const hostile of kids) await expectRejected(await craft({}, { kid: hostile }), `kid ${JSON.stringify(hostile).slice(0, 40)}`);
    expect(t.logs.join('')).not.toContain('unhandled error');
  });

  it('ignores jku/x5u/jwk/x5c headers: they never make a foreign key verify', async () => {
    const choosers = { jku: 'https://evil.example/jwks.json', x5u: 'https://evil.example/cert.pem', jwk: foreignJwk };
    await expectRejected(await craft({}, { jwk: foreignJwk }, foreign), 'foreign key + own jwk, our kid');
    await expectRejected(await craft({}, { jwk: foreignJwk, kid: undefined }, foreign), 'foreign key + own jwk, no kid');
    await expectRejected(await craft({}, { ...choosers, kid: 'evil' }, foreign), 'foreign key + jku/x5u');
    // on a token our key really signed, the headers are inert: verification used our kid only
    await expectAccepted(await craft({}, choosers), 'our key + ignored key-choosing headers');
  });

  it('refuses an unknown critical header (RFC 7515 4.1.11)', async () => {
    // jose will not sign an unknown crit, so this one is signed by hand (RS256 = RSASSA-PKCS1-v1_5 SHA-256)
    const [, payload] = (await craft()).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, crit: ['x-tessera-unknown'], 'x-tessera-unknown': 1 })).toString('base64url');
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), ourKeyObject).toString('base64url');
    await expectRejected(`${header}.${payload}.${signature}`, 'crit');
  });
});

describe('claims of tokens signed by our key (RFC 8725 3.8, 3.9, 3.11, 3.12; ASVS 5.0 V9.2.1-V9.2.3)', () => {
  it('refuses a wrong iss, wrong aud and each missing required claim', async () => {
    await expectRejected(await craft({ iss: 'https://evil.example' }), 'wrong iss');
    await expectRejected(await craft({ iss: 'http://tessera.test/' }), 'iss with trailing slash');
    await expectRejected(await craft({ aud: 'someone-else' }), 'wrong aud');
    for (const claim of ['iss', 'aud', 'exp', 'sub', 'jti', 'iat']) await expectRejected(await craft({ [claim]: undefined }), `no ${claim}`);
    await expectRejected(await craft({ sub: 42 }), 'numeric sub');
    await expectRejected(await craft({ exp: String(now() + 300) }), 'string exp');
  });

  it('applies exp and nbf with CLOCK_TOLERANCE (30 s) on the server clock', async () => {
    await expectRejected(await craft({ iat: now() - 400, exp: now() - 31 }), 'expired 31 s ago');
    await expectRejected(await craft({ iat: now() - 4000, exp: now() - 3600 }), 'expired an hour ago');
    await expectAccepted(await craft({ iat: now() - 400, exp: now() - 10 }), 'expired 10 s ago (within tolerance)');
    await expectRejected(await craft({ nbf: now() + 61 }), 'nbf 61 s ahead');
    await expectAccepted(await craft({ nbf: now() + 10 }), 'nbf 10 s ahead (within tolerance)');
  });

  it('expires a real token after its lifetime plus the tolerance (clock moved)', async () => {
    const { access_token } = (await t.request('POST', '/v1/auth/login', { body: { username: 'mallory-target', password: 'correct horse battery staple' } })).json<{ access_token: string }>();
    t.clock.advanceSeconds(900 + 10);
    await expectAccepted(access_token, 'expired 10 s ago');
    t.clock.advanceSeconds(25);
    await expectRejected(access_token, 'expired 35 s ago');
  });

  it('a still-valid token whose user was deleted is a 401, also where it would create a row (was a 500)', async () => {
    const { access_token } = await registerUser(t, 'soon-gone');
    const { id } = (await t.request('GET', '/v1/user/profile', { token: access_token })).json<{ id: string }>();
    await t.app.core.store.users.delete(id);
    for (const [method, url] of ROUTES.slice(0, 2)) expectProblem(await t.request(method, url, { token: access_token }), 401, 'invalid_token');
    expectProblem(await t.request('POST', '/authheader/add', { token: access_token, body: { name: 'ghost' } }), 401, 'invalid_token');
  });

  it('requires token_use access', async () => {
    await expectRejected(await craft({ token_use: undefined }), 'no token_use');
    await expectRejected(await craft({ token_use: 'refresh' }), 'token_use refresh');
    await expectRejected(await craft({ token_use: ['access'] }), 'token_use array');
  });

  it('requires typ at+jwt (RFC 9068): JWT, a missing typ or another are refused', async () => {
    await expectRejected(await craft({}, { typ: undefined }), 'no typ');
    await expectRejected(await craft({}, { typ: 'JWT' }), 'typ JWT');
    await expectRejected(await craft({}, { typ: 'JWS' }), 'typ JWS');
    await expectAccepted(await craft({}, { typ: 'at+jwt' }), 'typ at+jwt');
  });

  it('requires a live session (sid) for a user token', async () => {
    await expectRejected(await craft({ sid: undefined }), 'no sid');
    await expectRejected(await craft({ sid: randomUUID() }), 'unknown sid');
  });

  it('a restricted token is a 403 with passwordExpired on normal routes, and reaches the password change', async () => {
    const user = (await t.app.core.store.users.findById(userId))!;
    const restricted = await t.app.core.sessions.startRestricted(user, {}, { clientId: 'tessera-native' });
    const crafted = await craft({ token_use: 'password_change', aud: 'http://tessera.test/v1/user/password/change', sid: decodeJwt(restricted.token).sid }, { typ: 'pwd-change+jwt' });
    // the restricted kind is told by typ and audience: with the access token's audience it is no token of ours
    await expectRejected(await craft({ token_use: 'password_change' }, { typ: 'pwd-change+jwt' }), 'restricted typ, access audience');
    for (const token of [restricted.token, crafted]) {
      for (const [method, url] of ROUTES) {
        const body = expectProblem(await t.request(method, url, { token }), 403, 'password_expired');
        expect(body.passwordExpired, url).toBe(true);
      }
      // authenticated and allowed: only the (too short) new password is refused
      expectProblem(await t.request('POST', '/v1/user/password/change', { token, body: { password: 'short' } }), 400);
    }
  });
});

describe.each(['ES256', 'EdDSA'] as const)('a %s deployment (RFC 8725 3.1/3.2; ASVS 5.0 V9.1.2)', (algorithm) => {
  let other: TestApp;
  afterAll(async () => other?.close());

  it('issues and verifies its own tokens and refuses RS256 ones', async () => {
    other = await createTestApp({ JWT_ALGORITHM: algorithm });
    const { access_token } = await registerUser(other, 'edwin');
    const header = decodeProtectedHeader(access_token);
    expect(header.alg).toBe(algorithm);
    for (const [method, url] of ROUTES) expect((await other.request(method, url, { token: access_token })).statusCode, url).toBe(200);

    const otherKid = header.kid!;
    const otherPem = await other.app.core.keys.publicKeyPem();
    // a foreign RS256 key under its kid, HS256 keyed with its public key, our RS256 deployment's token
    for (const token of [await craft({}, { kid: otherKid }, foreign), await craft({}, { kid: otherKid, alg: 'HS256' }, te.encode(otherPem)), await craft()]) {
      for (const [method, url] of ROUTES) expectProblem(await other.request(method, url, { token }), 401, 'invalid_token');
    }
    // and the RS256 deployment refuses this deployment's token
    await expectRejected(access_token, `${algorithm} token on the RS256 deployment`);
  });
});

describe('trusted issuers on POST /v1/auth/token (RFC 8725 3.1, 3.8, 3.10; ASVS 5.0 V9.1.1-V9.1.3, V9.2.1)', () => {
  const ISSUER = 'https://idp.fuzz.example';
  let idpKey: CryptoKey;
  let idpPem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    [idpKey, idpPem] = [pair.privateKey, await exportSPKI(pair.publicKey)];
    await t.app.core.issuers.register({ issuer: ISSUER, publicKeyPem: idpPem, audience: 'tessera-ext', requireJti: true }, {});
  });

  const external = (claims: Claims = {}, header: Claims = {}, key: Key = idpKey) =>
    new SignJWT(strip({ iss: ISSUER, sub: 'ext-7', aud: 'tessera-ext', iat: now(), exp: now() + 300, jti: randomUUID(), ...claims }))
      .setProtectedHeader(strip({ alg: 'RS256', ...header }) as { alg: string })
      .sign(key);
  const exchange = (token: string) => t.request('POST', '/v1/auth/token', { body: { token } });
  const subOf = async (res: Awaited<ReturnType<typeof exchange>>) =>
    (await t.request('GET', '/v1/user/profile', { token: res.json<{ access_token: string }>().access_token })).json<{ id: string }>().id;

  it('accepts a good token, and the same sub maps to the same local user', async () => {
    const first = await exchange(await external());
    expect(first.statusCode, first.body).toBe(200);
    const second = await exchange(await external());
    expect(second.statusCode, second.body).toBe(200);
    expect(await subOf(second)).toBe(await subOf(first));
    expect(await subOf(await exchange(await external({ sub: 'ext-8' })))).not.toBe(await subOf(first));
  });

  it('refuses alg none, HS256, jku, a wrong key, an unknown issuer, expiry beyond the skew, replays and a missing jti', async () => {
    const replayed = await external();
    expect((await exchange(replayed)).statusCode).toBe(200);
    const stranger = await generateKeyPair('RS256');
    const refused: Record<string, string> = {
      'alg none': new UnsecuredJWT({ iss: ISSUER, sub: 'ext-7', exp: now() + 300, jti: randomUUID() }).encode(),
      'HS256 with the public key': await external({}, { alg: 'HS256' }, te.encode(idpPem)),
      'jku (even with the right key)': await external({}, { jku: 'https://evil.example/jwks.json' }),
      'jwk header': await external({}, { jwk: foreignJwk }, foreign),
      'wrong key': await external({}, {}, stranger.privateKey),
      'unknown issuer': await external({ iss: 'https://evil.example' }),
      'expired 61 s ago': await external({ iat: now() - 400, exp: now() - 61 }),
      'nbf 61 s ahead': await external({ nbf: now() + 61 }),
      replayed,
      'no jti': await external({ jti: undefined }),
      'no exp': await external({ exp: undefined }),
    };
    for (const [label, token] of Object.entries(refused)) {
      const res = await exchange(token);
      expect(res.statusCode, `${label}: ${res.body}`).toBe(401);
      expectProblem(res, 401, 'invalid_credentials');
    }
  });
});

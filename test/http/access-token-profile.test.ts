/**
 * Access tokens follow RFC 9068 on every surface that issues them: header `typ: at+jwt` with alg
 * and kid; claims iss, sub, aud, exp, iat, jti, client_id (the OAuth client, or the documented
 * name of the first-party surface) and sid (the session), plus Tessera's own claims.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addApiKey,
  authHeadersLogin,
  createProbeApp,
  exchangeApiKey,
  iotLogin,
  postForm,
  type ProbeApp,
} from '../support/credential-probes.js';
import { login, type TokenPair } from '../support/native-helpers.js';
import { registerUser, STRONG_PASSWORD } from '../support/test-app.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

let p: ProbeApp;
beforeAll(async () => {
  p = await createProbeApp();
});
afterAll(async () => p.close());

/** Asserts the RFC 9068 header and claims; answers the claims. */
function expectAccessToken(token: string, clientId: string, what: string) {
  const header = decodeProtectedHeader(token);
  expect(header.typ, `${what}: typ`).toBe('at+jwt');
  expect(header.alg, `${what}: alg`).toBe('RS256');
  expect(typeof header.kid, `${what}: kid`).toBe('string');
  const claims = decodeJwt(token);
  expect(claims, what).toMatchObject({ iss: 'http://tessera.test', aud: 'tessera', client_id: clientId });
  for (const name of ['sub', 'jti', 'sid', 'username']) expect(typeof claims[name], `${what}: ${name}`).toBe('string');
  for (const name of ['exp', 'iat']) expect(typeof claims[name], `${what}: ${name}`).toBe('number');
  for (const name of ['roles', 'accounts']) expect(Array.isArray(claims[name]), `${what}: ${name}`).toBe(true);
  for (const name of ['email', 'email_verified', 'locale']) expect(claims, `${what}: ${name}`).toHaveProperty(name);
  return claims;
}

/** One token from every first-party way a user logs in, with the client_id each must carry. */
async function tokensOfEverySurface(username: string): Promise<Array<[string, string, string]>> {
  const registered = await registerUser(p.t, username, STRONG_PASSWORD, { email: `${username}@example.com` });
  const native = await login(p.t, username);
  const integration = (await p.t.request('POST', '/api/Auth/Auth', { body: { login: username, password: STRONG_PASSWORD } })).json<{ accessToken: string }>();
  const seed001 = await authHeadersLogin(p.t, username);
  const seed003 = await iotLogin(p.t, username);
  const key = await addApiKey(p.t, seed001);
  const byKey = await exchangeApiKey(p.t, key);
  const oauthPassword = await postForm(p.t, '/oauth2/token', { grant_type: 'password', username, password: STRONG_PASSWORD });
  const oauthExchange = await postForm(p.t, '/oauth2/token', { grant_type: EXCHANGE, subject_token: key, subject_token_type: ACCESS_TYPE });
  for (const res of [oauthPassword, oauthExchange]) expect(res.statusCode, res.body).toBe(200);
  const refreshed = (await p.t.request('POST', '/v1/auth/refresh', { body: { token: native.refresh_token } })).json<TokenPair>();
  return [
    ['POST /v1/user', registered.access_token, 'tessera-native'],
    ['POST /v1/auth/login', native.access_token, 'tessera-native'],
    ['POST /v1/auth/refresh', refreshed.access_token, 'tessera-native'],
    ['POST /v1/auth/token (API key)', byKey.access_token, 'tessera-native'],
    ['POST /api/Auth/Auth', integration.accessToken, 'tessera-integration'],
    ['POST /user/login', seed001, 'tessera-auth-headers'],
    ['POST /v1/api/auth/token', seed003, 'tessera-iot'],
    ['POST /oauth2/token password, no client', oauthPassword.json<{ access_token: string }>().access_token, 'tessera-oauth2'],
    ['POST /oauth2/token token-exchange of an API key, no client', oauthExchange.json<{ access_token: string }>().access_token, 'tessera-oauth2'],
  ];
}

describe('RFC 9068 access tokens on every first-party surface', () => {
  it('each login surface issues typ at+jwt with iss, sub, aud, exp, iat, jti, sid and its documented client_id', async () => {
    for (const [what, token, clientId] of await tokensOfEverySurface('profiled')) expectAccessToken(token, clientId, what);
  });

  it('the sid of every user token names one of the live sessions in GET /v1/user/sessions', async () => {
    const tokens = await tokensOfEverySurface('sessioned');
    const lister = tokens[1]![1];
    const ids = (await p.t.request('GET', '/v1/user/sessions', { token: lister })).json<Array<{ id: string }>>().map((s) => s.id);
    for (const [what, token] of tokens) expect(ids, `${what}: sid`).toContain(decodeJwt(token).sid);
  });

  it('a refresh keeps the sid of its session', async () => {
    await registerUser(p.t, 'refresher');
    const first = await login(p.t, 'refresher');
    const next = (await p.t.request('POST', '/v1/auth/refresh', { body: { token: first.refresh_token } })).json<TokenPair>();
    expect(decodeJwt(first.access_token).sid).toEqual(expect.any(String));
    expect(decodeJwt(next.access_token).sid).toBe(decodeJwt(first.access_token).sid);
  });

  it('a password change answers a tessera-native token', async () => {
    const pair = await registerUser(p.t, 'changer');
    const res = await p.t.request('POST', '/v1/user/password/change', { token: pair.access_token, body: { oldPassword: STRONG_PASSWORD, password: 'a changed passphrase here' } });
    expect(res.statusCode, res.body).toBe(200);
    expectAccessToken(res.json<TokenPair>().access_token, 'tessera-native', 'POST /v1/user/password/change');
  });
});

describe('tokens of a registered OAuth client', () => {
  it('password and refresh_token grants with client authentication carry the client id as client_id', async () => {
    await registerUser(p.t, 'oauth-user');
    const headers = { authorization: p.clientAuth };
    const pw = await postForm(p.t, '/oauth2/token', { grant_type: 'password', username: 'oauth-user', password: STRONG_PASSWORD }, headers);
    expect(pw.statusCode, pw.body).toBe(200);
    const pair = pw.json<{ access_token: string; refresh_token: string }>();
    expectAccessToken(pair.access_token, p.clientId, 'password grant with a client');
    const refreshed = await postForm(p.t, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: pair.refresh_token }, headers);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const claims = expectAccessToken(refreshed.json<{ access_token: string }>().access_token, p.clientId, 'refresh_token grant with a client');
    expect(claims.sid).toBe(decodeJwt(pair.access_token).sid);
  });

  it('client_credentials: typ at+jwt, client_id and sub are the client, no sid', async () => {
    const res = await postForm(p.t, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: p.clientAuth });
    const token = res.json<{ access_token: string }>().access_token;
    expect(decodeProtectedHeader(token).typ).toBe('at+jwt');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'http://tessera.test', aud: 'tessera', sub: p.clientId, client_id: p.clientId });
    expect(claims.sid).toBeUndefined();
  });
});

/**
 * Probes for the credential lifecycle, over HTTP only (no reach into the core): an app with an
 * admin and a registered resource-server client, introspection as that client, and the
 * "does this credential still work on Tessera's own routes" questions the lifecycle tests ask.
 */
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import { expect } from 'vitest';
import { login, type TokenPair } from './native-helpers.js';
import { createTestApp, STRONG_PASSWORD, type TestApp } from './test-app.js';

/** Cheap argon2id: the rules under test do not depend on the hashing cost, only the run time does. */
export const FAST = { ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export interface ProbeApp {
  t: TestApp;
  adminToken: string;
  /** `Authorization: Basic ...` of a client registered through the admin API. */
  clientAuth: string;
  clientId: string;
  close(): Promise<void>;
}

/** A test app with the admin `root` and one confidential client (all grants), both made over HTTP. */
export async function createProbeApp(env: Record<string, string> = {}): Promise<ProbeApp> {
  const t = await createTestApp({ ...FAST, TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}`, ...env });
  const adminToken = (await login(t, 'root')).access_token;
  const made = await t.request('POST', '/v1/admin/clients', {
    token: adminToken,
    body: { name: 'probe-resource-server', grantTypes: ['client_credentials', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:token-exchange'] },
  });
  expect(made.statusCode, made.body).toBe(201);
  const { clientId, clientSecret } = made.json<{ clientId: string; clientSecret: string }>();
  return { t, adminToken, clientId, clientAuth: basicAuth(clientId, clientSecret), close: () => t.close() };
}

/** POST a form to an OAuth endpoint. */
export function postForm(t: TestApp, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.request('POST', path, { body: new URLSearchParams(form).toString(), headers: { ...FORM, ...headers } });
}

/** The raw body of /oauth2/introspect for `token`, asked by the probe client. */
export async function introspect(p: ProbeApp, token: string): Promise<string> {
  const res = await postForm(p.t, '/oauth2/introspect', { token }, { authorization: p.clientAuth });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}

/** GET /v1/user/profile with a bearer token, or with an API key in X-API-Key. */
export function profile(t: TestApp, credential: string): Promise<LightMyRequestResponse> {
  return credential.startsWith('tsk_')
    ? t.request('GET', '/v1/user/profile', { headers: { 'x-api-key': credential } })
    : t.request('GET', '/v1/user/profile', { token: credential });
}

/** The credential still reads the profile. */
export async function expectAlive(t: TestApp, credential: string, what: string): Promise<void> {
  const res = await profile(t, credential);
  expect(res.statusCode, `${what} should still work: ${res.body}`).toBe(200);
}

/** The credential is refused with 401 (a dead credential is an invalid one, API.md section 0). */
export async function expectDead(t: TestApp, credential: string, what: string): Promise<void> {
  const res = await profile(t, credential);
  expect(res.statusCode, `${what} should be dead: ${res.body}`).toBe(401);
}

/** The id of the user a token speaks for. */
export const subjectOf = (token: string): string => decodeJwt(token).sub!;
/** The session a token is bound to. */
export const sidOf = (token: string): unknown => decodeJwt(token).sid;

/** Logs in through seed 001 and answers its Token. */
export async function authHeadersLogin(t: TestApp, username: string, password = STRONG_PASSWORD): Promise<string> {
  const res = await t.request('POST', '/user/login', { body: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ Token: string }>().Token;
}

/** Logs in through seed 003 and answers its 24 h token. */
export async function iotLogin(t: TestApp, username: string, password = STRONG_PASSWORD): Promise<string> {
  const res = await t.request('POST', '/v1/api/auth/token', { body: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

/** Adds an API key (seed 001) with a user token and answers the full key. */
export async function addApiKey(t: TestApp, userToken: string, name = 'probe-key'): Promise<string> {
  const res = await t.request('POST', '/authheader/add', { token: userToken, body: { name } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

/** Trades an API key for a session on /v1/auth/token. */
export async function exchangeApiKey(t: TestApp, key: string): Promise<TokenPair> {
  const res = await t.request('POST', '/v1/auth/token', { body: { token: key } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TokenPair>();
}

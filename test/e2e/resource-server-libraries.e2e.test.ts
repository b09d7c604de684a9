/**
 * What users' resource servers verify Tessera's tokens with, against the real process over HTTP:
 * oauth4webapi's validateJwtAccessToken (RFC 9068) and jose with typ at+jwt accept every access
 * token; jsonwebtoken + jwks-rsa, checking only issuer and audience as express-jwt and passport-jwt
 * do, refuse the restricted token of an expired password (today it passes with admin roles).
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PROJECT_ROOT, startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'a resource server passphrase';
const FAST = { ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1' };

let server: ServerProcess;
let adminToken: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (typeof body === 'string') init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** One access token from every way Tessera issues them, labelled; a fresh user per call. */
let calls = 0;
async function everyAccessToken(): Promise<Array<[string, string]>> {
  const username = `rs-everyone-${++calls}`;
  const registered = await call('POST', '/v1/user', { username, password: PASSWORD });
  const creds = { username, password: PASSWORD };
  const made = await call('POST', '/v1/admin/clients', { name: `rs-client-${calls}`, grantTypes: ['client_credentials'] }, bearer(adminToken));
  const basic = `Basic ${Buffer.from(`${made.json.clientId}:${made.json.clientSecret}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const tokens: Array<[string, string]> = [
    ['POST /v1/user', registered.json.access_token],
    ['POST /v1/auth/login', (await call('POST', '/v1/auth/login', creds)).json.access_token],
    ['POST /api/Auth/Auth', (await call('POST', '/api/Auth/Auth', { login: username, password: PASSWORD })).json.accessToken],
    ['POST /user/login', (await call('POST', '/user/login', creds)).json.Token],
    ['POST /v1/api/auth/token', (await call('POST', '/v1/api/auth/token', creds)).json.token],
    ['oauth2 password', (await call('POST', '/oauth2/token', new URLSearchParams({ grant_type: 'password', ...creds }).toString(), form)).json.access_token],
    ['oauth2 client_credentials', (await call('POST', '/oauth2/token', 'grant_type=client_credentials', { ...form, authorization: basic })).json.access_token],
  ];
  for (const [what, token] of tokens) expect(typeof token, what).toBe('string');
  return tokens;
}

/**
 * The README's jose snippet, as written there (the block after "A resource server in Node
 * verifies one with"), pointed at this server and wrapped as `verify(token)`. Written under the
 * project's .tmp/ so `import 'jose'` resolves as in a user's project.
 */
async function readmeJoseVerify(): Promise<(token: string) => Promise<JWTPayload>> {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /A resource server in Node verifies one with[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'the README has the jose snippet').toBeDefined();
  expect(block).toContain("audience: 'tessera', typ: 'at+jwt'");
  const code = block!.replaceAll('http://localhost:8080', server.url).split('\n');
  const imports = code.filter((line) => line.startsWith('import '));
  const body = code.filter((line) => !line.startsWith('import '));
  const dir = join(PROJECT_ROOT, '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `readme-jose-${process.pid}.mjs`);
  writeFileSync(file, `${imports.join('\n')}\nexport default async function verify(token) {\n${body.join('\n')}\nreturn payload;\n}\n`);
  try {
    return ((await import(pathToFileURL(file).href)) as { default: (token: string) => Promise<JWTPayload> }).default;
  } finally {
    rmSync(file, { force: true });
  }
}

/** An admin (role in the token and in the database) whose password an admin has expired: its restricted token. */
async function restrictedAdminToken(): Promise<string> {
  const pair = await call('POST', '/v1/user', { username: 'rs-expired-admin', password: PASSWORD });
  const me = await call('GET', '/v1/user/profile', undefined, bearer(pair.json.access_token));
  expect((await call('PATCH', `/v1/admin/users/${me.json.id}`, { roles: ['admin'], passwordExpired: true }, bearer(adminToken))).status).toBe(200);
  const res = await call('POST', '/api/Auth/Auth', { login: 'rs-expired-admin', password: PASSWORD });
  expect(res.json.passwordExpired).toBe(true);
  return res.json.accessToken as string;
}

/** jsonwebtoken + jwks-rsa the way express-jwt and passport-jwt set them up: issuer, audience, algorithm. */
function jsonwebtokenVerify(token: string): Promise<JwtPayload> {
  const client = jwksRsa({ jwksUri: `${server.url}/.well-known/jwks.json`, cache: false });
  const getKey: jwt.GetPublicKeyOrSecret = (header, callback) => {
    client.getSigningKey(header.kid).then((key) => callback(null, key.getPublicKey()), (error: Error) => callback(error));
  };
  return new Promise((resolve, reject) => {
    jwt.verify(token, getKey, { audience: 'tessera', issuer: server.url, algorithms: ['RS256'] }, (error, payload) =>
      error ? reject(error) : resolve(payload as JwtPayload),
    );
  });
}

beforeAll(async () => {
  const port = await freePort();
  server = await startServer({ port, env: { ...FAST, PUBLIC_URL: `http://127.0.0.1:${port}`, TESSERA_BOOTSTRAP_ADMIN: `admin:${PASSWORD}`, LOG_LEVEL: 'warn' } });
  adminToken = (await call('POST', '/v1/auth/login', { username: 'admin', password: PASSWORD })).json.access_token;
});
afterAll(async () => {
  await server?.stop();
});

describe('resource-server libraries accept every access token', () => {
  it("oauth4webapi's validateJwtAccessToken (RFC 9068, discovery from the real server) accepts each", async () => {
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    for (const [what, token] of await everyAccessToken()) {
      const request = new Request(`${server.url}/resource`, { headers: bearer(token) });
      const claims = await oauth.validateJwtAccessToken(as, request, 'tessera', { [oauth.allowInsecureRequests]: true }).catch((error: Error) => {
        throw new Error(`${what}: ${error.message}`);
      });
      expect(claims.iss, what).toBe(server.url);
      expect(typeof claims.client_id, what).toBe('string');
    }
  });

  it("jose jwtVerify with createRemoteJWKSet and typ 'at+jwt' accepts each", async () => {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    for (const [what, token] of await everyAccessToken()) {
      await expect(jwtVerify(token, jwks, { issuer: server.url, audience: 'tessera', typ: 'at+jwt' }), what).resolves.toBeTruthy();
    }
  });

  it("the README's jose snippet, run as written, accepts each", async () => {
    const verify = await readmeJoseVerify();
    for (const [what, token] of await everyAccessToken()) {
      await expect(verify(token), what).resolves.toMatchObject({ iss: server.url, aud: 'tessera' });
    }
  });

  it('jsonwebtoken + jwks-rsa with {audience, issuer} accept a normal access token', async () => {
    const token = (await call('POST', '/v1/auth/login', { username: 'admin', password: PASSWORD })).json.access_token as string;
    await expect(jsonwebtokenVerify(token)).resolves.toMatchObject({ iss: server.url, aud: 'tessera' });
  });
});

describe('the restricted token of an expired password is refused as an access token', () => {
  let restricted: string;
  beforeAll(async () => {
    restricted = await restrictedAdminToken();
  });

  it('jsonwebtoken + jwks-rsa with {audience: tessera, issuer} (express-jwt / passport-jwt style) refuse it', async () => {
    await expect(jsonwebtokenVerify(restricted)).rejects.toThrow(/audience/i);
  });

  it("the README's jose snippet refuses it", async () => {
    await expect((await readmeJoseVerify())(restricted)).rejects.toThrow();
  });

  it('jose with audience tessera refuses it, and validateJwtAccessToken refuses it', async () => {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    await expect(jwtVerify(restricted, jwks, { issuer: server.url, audience: 'tessera' })).rejects.toThrow();
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    const request = new Request(`${server.url}/resource`, { headers: bearer(restricted) });
    await expect(oauth.validateJwtAccessToken(as, request, 'tessera', { [oauth.allowInsecureRequests]: true })).rejects.toThrow();
  });

  it('verifies for what it is: typ pwd-change+jwt, audience <PUBLIC_URL>/v1/user/password/change, no roles', async () => {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(restricted, jwks, { issuer: server.url, audience: `${server.url}/v1/user/password/change`, typ: 'pwd-change+jwt' });
    expect(payload).not.toHaveProperty('roles');
    expect(payload).not.toHaveProperty('accounts');
    const changed = await call('POST', '/v1/user/password/change', { password: 'a fresh resource server passphrase' }, bearer(restricted));
    expect(changed.status).toBe(200);
  });
});

/**
 * Starting the real process: a bad configuration stops it with one line naming the variable; a
 * good one logs where it listens, the issuer and the audience; the issuer follows the port when
 * PUBLIC_URL is unset or empty; TRACE is refused over a real socket; the bootstrap admin; a
 * restart keeps the signing key.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { connect } from 'node:net';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, logLines, runToExit, startServer, type ServerProcess } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

const ADMIN_PASSWORD = 'granite falcon meadow 7731';

/** The few members these tests read from JSON answers. */
interface Answer {
  issuer?: string;
  jwks_uri?: string;
  servers?: Array<{ url: string }>;
  access_token?: string;
  refresh_token?: string;
  roles?: string[];
  keys?: Array<{ kid: string }>;
}

async function call(server: ServerProcess, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Answer };
}

// Each case is its own process: run them side by side.
describe.concurrent('a bad configuration', () => {
  // [variable, value, whether the value may hold a secret and must not be echoed]
  it.for([
    ['PORT', 'abc', false],
    ['PORT', '70000', false],
    ['DATABASE_URL', 'mysql://x', false],
    ['DATABASE_URL', 'mysql://root:hunter2secret@db', true],
    ['SMTP_URL', 'http://mailer:smtpSecret99@mail.example', true],
    ['LOG_LEVEL', 'loud', false],
    ['TESSERA_BOOTSTRAP_ADMIN', 'adminNoColonSecret', true],
  ] as const)('%s=%s exits non-zero with one stderr line naming the variable', async ([name, value, secret], { expect }) => {
    const { code, signal, stdout, stderr } = await runToExit({ [name]: value });
    expect(signal).toBeNull();
    expect(code).not.toBe(0);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toMatch(/Error:/);
    expect(stdout).toBe('');
    if (secret) expect(stderr).not.toContain(value);
  });

  it('rejects a weak bootstrap password with one line naming the variable, without echoing it', async ({ expect }) => {
    const { code, stderr } = await runToExit({ TESSERA_BOOTSTRAP_ADMIN: 'admin:qzx1' });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('TESSERA_BOOTSTRAP_ADMIN');
    expect(stderr).not.toContain('qzx1');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a good configuration (real process, same database across a restart)', () => {
  const dir = tempDir('tessera-e2e-restart-');
  const env = { TESSERA_BOOTSTRAP_ADMIN: `admin:${ADMIN_PASSWORD}` };
  let first: ServerProcess | undefined;
  let second: ServerProcess | undefined;
  let kid: string;
  let accessToken: string;
  let refreshToken: string;

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    dir.remove();
  });

  it('logs where it listens and which database it uses, and nothing on stderr', async () => {
    first = await startServer({ dir: dir.path, env });
    const lines = logLines(first.stdout());
    const listening = lines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('Tessera listening'));
    expect(listening, first.stdout()).toBeDefined();
    expect(listening!.msg).toContain(first.url);
    expect(listening!.msg).toContain(first.databaseUrl);
    expect(lines.some((line) => line.msg === 'bootstrap admin created' && line.username === 'admin')).toBe(true);
    expect(first.stdout()).not.toContain(ADMIN_PASSWORD);
    expect(first.stderr()).toBe('');
  });

  it('creates the bootstrap admin, whose profile has the admin role', async () => {
    const login = await call(first!, 'POST', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    accessToken = login.json.access_token!;
    refreshToken = login.json.refresh_token!;
    const profile = await call(first!, 'GET', '/v1/user/profile', undefined, accessToken);
    expect(profile.status).toBe(200);
    expect(profile.json.roles).toContain('admin');

    // No PUBLIC_URL, HOST=127.0.0.1 (startServer's): the issuer is the address it listens on.
    expect((await call(first!, 'GET', '/.well-known/openid-configuration')).json.issuer).toBe(first!.url);

    const jwks = await call(first!, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string };
    kid = header.kid;
    expect(jwks.json.keys!.map((k) => k.kid)).toContain(kid);
  });

  it('keeps the signing key, the tokens and the admin across a restart', async () => {
    expect(await first!.stop()).toBe(0);
    // A different bootstrap password on restart: the admin exists, so nothing changes. The same
    // port: without PUBLIC_URL the issuer is the listen address, so another port is another issuer.
    second = await startServer({ dir: dir.path, port: first!.port, env: { TESSERA_BOOTSTRAP_ADMIN: 'admin:some other strong phrase 1' } });
    expect(logLines(second.stdout()).some((line) => line.msg === 'bootstrap admin created')).toBe(false);

    const jwks = await call(second, 'GET', '/.well-known/jwks.json');
    expect(jwks.json.keys!.map((k) => k.kid)).toContain(kid);

    const profile = await call(second, 'GET', '/v1/user/profile', undefined, accessToken);
    expect(profile.status).toBe(200);
    expect(profile.json.roles).toContain('admin');

    const refreshed = await call(second, 'POST', '/v1/auth/refresh', { token: refreshToken });
    expect(refreshed.status).toBe(200);
    const newKid = (JSON.parse(Buffer.from(refreshed.json.access_token!.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
    expect(newKid).toBe(kid);

    expect((await call(second, 'POST', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
    expect((await call(second, 'POST', '/v1/auth/login', { username: 'admin', password: 'some other strong phrase 1' })).status).toBe(401);
  });
});

/** One raw HTTP/1.1 request over a socket (fetch refuses TRACE): the status line and headers. */
function rawRequest(port: number, method: string, path: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body });
    });
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nCookie: echo-me=1\r\nConnection: close\r\n\r\n`);
  });
}

describe('PORT set, PUBLIC_URL= empty, HOST= empty (real process): the issuer follows the port', () => {
  let server: ServerProcess;
  let issuer: string;
  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    // Empty counts as unset: PUBLIC_URL= crashed start-up before; HOST= listens on 0.0.0.0.
    server = await startServer({ port, env: { PUBLIC_URL: '', HOST: '' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('starts without a warning and logs the issuer and the token audience on its listening line', () => {
    expect(server.stderr()).toBe('');
    const listening = logLines(server.stdout()).find((line) => typeof line.msg === 'string' && line.msg.startsWith('Tessera listening'));
    expect(listening, server.stdout()).toMatchObject({ issuer, audience: 'tessera' });
    expect(listening!.msg).toContain(`issuer ${issuer}, token audience tessera`);
  });

  it('advertises http://localhost:<PORT> in discovery, JWKS URL, OpenAPI servers and the tokens it issues', async () => {
    const discovery = await fetch(`${server.url}/.well-known/openid-configuration`);
    // what openid-client and oauth4webapi check: the issuer a client was configured with
    const as = await oauth.processDiscoveryResponse(new URL(issuer), discovery);
    expect(as.issuer).toBe(issuer);
    expect(as.jwks_uri).toBe(`${issuer}/.well-known/jwks.json`);
    expect(as.token_endpoint).toBe(`${issuer}/oauth2/token`);
    const jwksPath = new URL(as.jwks_uri!).pathname;
    expect((await fetch(`${server.url}${jwksPath}`)).status).toBe(200);

    const openapi = await call(server, 'GET', '/openapi.json');
    expect(openapi.json.servers?.[0]?.url).toBe(issuer);

    const registered = await call(server, 'POST', '/v1/user', { username: 'port-follower', password: ADMIN_PASSWORD });
    expect(registered.status).toBe(200);
    const jwks = createRemoteJWKSet(new URL(`${server.url}${jwksPath}`));
    const { payload } = await jwtVerify(registered.json.access_token!, jwks, { issuer, audience: 'tessera' });
    expect(payload.iss).toBe(issuer);
  });

  it('refuses TRACE on a real socket with 405 and Allow, on a known path and an unknown one', async () => {
    const known = await rawRequest(server.port, 'TRACE', '/healthz');
    expect(known.status).toBe(405);
    expect(known.head).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    expect(known.body).not.toContain('echo-me');
    const unknown = await rawRequest(server.port, 'TRACE', '/no/such/path');
    expect(unknown.status).toBe(405);
    expect(unknown.head).toMatch(/\r\nallow: \r\n/i);
    // TRACK is no method Node's HTTP parser knows: refused before any route, never echoed.
    const track = await rawRequest(server.port, 'TRACK', '/healthz');
    expect(track.status).toBe(400);
    expect(track.body).not.toContain('echo-me');
  });
});

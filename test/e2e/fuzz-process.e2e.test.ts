/**
 * The route fuzz against the real process over real HTTP (fetch), plus raw bytes no client library
 * would send: invalid UTF-8, truncated JSON, malformed framing on a bare socket. No 5xx, every 4xx
 * problem JSON (OAuth's shape on /oauth2), and afterwards the process is alive, /healthz answers
 * 200, nothing reached stderr and nothing was logged as an error.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialHeaders, operationsOf, requestFor, violation, type Dictionary, type FuzzRequest, type Operation } from '../support/fuzz.js';
import { logLines, startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'correct horse battery staple';
const RUNS_PER_OPERATION = 7;

let server: ServerProcess;
let ops: Operation[];
let sent = 0;
const failures: string[] = [];

async function send(req: FuzzRequest): Promise<void> {
  sent += 1;
  let res: Response;
  try {
    res = await fetch(`${server.url}${req.url}`, { method: req.method, headers: req.headers, ...(req.payload === undefined ? {} : { body: req.payload }), signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    // an over-limit body may be cut off once the 413 is sent; anything else is a finding
    if (req.payload === undefined || Buffer.byteLength(req.payload) <= 64 * 1024) failures.push(`${req.method} ${req.url.slice(0, 120)}: ${(error as Error).message}`);
    return;
  }
  const headers = Object.fromEntries(res.headers.entries());
  const problem = violation(req.url, { status: res.status, headers, body: await res.text() });
  if (problem) failures.push(`${req.method} ${req.url.slice(0, 120)} ${String(req.payload ?? '').slice(0, 120)}: ${problem}`);
}

async function json<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return (await res.json()) as T;
}

/**
 * Writes raw bytes on a fresh socket and answers whatever comes back before the server closes it.
 * With `end: false` the client drops the connection once the bytes are out, mid-request.
 * No timer: every one of these requests ends in a close, and the test's timeout bounds the rest.
 */
function raw(bytes: string | Buffer, { end = true } = {}): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(server.port, '127.0.0.1', () => {
      if (end) socket.end(bytes);
      else socket.write(bytes, () => socket.destroy());
    });
    const done = () => resolve(answer);
    socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', done).on('error', done);
  });
}

beforeAll(async () => {
  server = await startServer({
    env: {
      LOGIN_FREE_ATTEMPTS: '1000',
      LOGIN_IP_FREE_ATTEMPTS: '100000',
      MAIL_RATE_PER_ADDRESS: '1000',
      MAIL_RATE_PER_IP: '100000',
      REGISTER_RATE_PER_IP: '0',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      TESSERA_BOOTSTRAP_ADMIN: `root:${PASSWORD}`,
    },
  });
  ops = operationsOf(await json('GET', '/openapi.json'));
});
afterAll(async () => server?.stop());

describe('fuzzing the real process over HTTP', () => {
  it('every OpenAPI operation: no 5xx, every 4xx problem JSON', { timeout: 60_000 }, async () => {
    const user = await json<{ access_token: string; refresh_token: string }>('POST', '/v1/user', { username: 'fuzzer', password: PASSWORD, email: 'fuzzer@example.test' });
    const admin = await json<{ access_token: string }>('POST', '/v1/auth/login', { username: 'root', password: PASSWORD });
    const apiKey = (await json<{ token: string }>('POST', '/authheader/add', { name: 'fuzz' }, user.access_token)).token;
    const id = (await json<{ id: string }>('GET', '/v1/user/profile', undefined, user.access_token)).id;
    for (const value of [user.access_token, admin.access_token, apiKey, id]) expect(value).toBeTruthy();
    const dict: Dictionary = {
      username: ['fuzzer', 'root', 'new-user'],
      login: ['fuzzer', 'root'],
      password: [PASSWORD, 'short'],
      email: ['fuzzer@example.test', 'not-an-email'],
      token: [user.access_token, user.refresh_token, apiKey],
      text: [apiKey],
      grant_type: ['password', 'client_credentials', 'refresh_token'],
      id: [id],
      userid: [id],
    };
    const credentials = credentialHeaders([user.access_token, admin.access_token, apiKey], ['a.b.c', `tsk_${'A'.repeat(32)}`, 'x'.repeat(3000)]);
    for (const op of ops) {
      const samples = fc.sample(requestFor(op, dict, credentials), RUNS_PER_OPERATION);
      for (const req of samples) await send(req);
    }
    expect(failures).toEqual([]);
  });

  it('raw bodies: invalid UTF-8, truncated JSON, other encodings; a bad timezone header everywhere', { timeout: 60_000 }, async () => {
    const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    const bodies: Buffer[] = [
      bytes([0xff, 0xfe, 0xfd]),
      bytes('{"username":"', [0xc3, 0x28], '","password":"', [0xe2, 0x82], '"}'),
      bytes('{"username":"', [0xc0, 0xaf], '","password":"', [0xed, 0xa0, 0x80], '"}'),
      bytes('{"username":"fuzzer","password":"', [0xf4, 0x90, 0x80, 0x80], '"}'),
      bytes('{"username":"fuzzer","passw'),
      bytes('{"username":"fuzzer","password":"x"'),
      bytes([0xef, 0xbb, 0xbf], '{"username":"fuzzer","password":"x"}'),
      Buffer.from('{"username":"fuzzer","password":"x"}', 'utf16le'),
      bytes('{"username":"fu', [0], 'zzer","password":"x"}'),
      bytes([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]),
    ];
    const posts = ops.filter((op) => op.body && op.method !== 'GET');
    for (const op of posts) {
      const url = op.path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000');
      // form routes get each body as JSON too: their JSON parse errors were once a 500
      for (const type of op.body!.form ? ['application/x-www-form-urlencoded', 'application/json'] : ['application/json']) {
        for (const payload of bodies) await send({ method: op.method, url, headers: { 'content-type': type }, payload });
        await send({ method: op.method, url, headers: { 'content-type': type, 'content-encoding': 'gzip' }, payload: bodies[9]! });
      }
    }
    // a bad X-nugios-timezone is refused before the route runs: on /oauth2/token that was a 500
    for (const op of ops) {
      const url = op.path.replace(/\{[^}]+\}/g, 'x');
      await send({ method: op.method, url, headers: { 'x-nugios-timezone': '841', 'content-type': 'application/x-www-form-urlencoded' }, ...(op.method === 'GET' ? {} : { payload: 'grant_type=password' }) });
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(500);
  });

  it('malformed framing on a bare socket never takes the process down', async () => {
    const answers = await Promise.all([
      raw('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n'),
      raw('POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n'),
      raw('POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
      raw('POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":', { end: false }),
      raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      raw('FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
      raw(Buffer.concat([Buffer.from('GET /v1/user/confirm/'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])),
      raw('GET /healthz HTTP/9.9\r\n\r\n'),
      raw('\u0000\u0001\u0002garbage\r\n\r\n'),
    ]);
    for (const answer of answers) expect(answer).not.toMatch(/^HTTP\/1\.[01] 5\d\d/);
  });

  it('is still alive afterwards: /healthz 200, a login works, nothing on stderr, no error logged', async () => {
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // (the fuzz may have changed its own users' passwords: a new user must register and log in)
    expect((await json<{ access_token?: string }>('POST', '/v1/user', { username: 'after-the-fuzz', password: PASSWORD })).access_token).toBeTruthy();
    expect((await json<{ access_token?: string }>('POST', '/v1/auth/login', { username: 'after-the-fuzz', password: PASSWORD })).access_token).toBeTruthy();
    expect(server.stderr()).not.toMatch(/uncaught|unhandled|Error|\n\s+at /i);
    const errors = logLines(server.stdout()).filter((line) => typeof line.level === 'number' && line.level >= 50);
    expect(errors.map((line) => JSON.stringify(line).slice(0, 400))).toEqual([]);
  });
});

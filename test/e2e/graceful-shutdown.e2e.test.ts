/**
 * SIGTERM against the real process, with raw sockets so that what is "under way" is decided by the
 * test, not by timing: requests whose bodies are half sent when the signal comes are answered
 * 2xx with Connection: close; an idle keep-alive connection does not hold the process; it exits 0
 * long before the grace period. Once as one process, once with WORKERS=2. (Readiness while
 * draining: test/http/drain.test.ts.)
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { STRONG_PASSWORD, TEST_ARGON2 } from '../support/test-app.js';

const USER = { username: 'drain@example.com', password: STRONG_PASSWORD };

/** A raw HTTP/1.1 connection: write what you like, read the whole answer once the server ends it. */
async function rawConnection(port: number): Promise<{ socket: Socket; write(text: string): void; answer(): Promise<string>; closed(): Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return {
    socket,
    write: (text) => void socket.write(text),
    answer: async () => {
      await closed;
      return received;
    },
    closed: () => closed,
  };
}

function status(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
}

async function register(server: ServerProcess): Promise<void> {
  const res = await fetch(`${server.url}/v1/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(USER) });
  expect(res.status).toBe(200);
}

async function drainScenario(server: ServerProcess, shuttingDownLine: string) {
  await register(server);
  // An idle keep-alive connection: one request answered, the socket left open.
  const idle = await rawConnection(server.port);
  idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
  // Two logins whose bodies are half sent: under way when the signal comes.
  const body = JSON.stringify(USER);
  const logins = [await rawConnection(server.port), await rawConnection(server.port)];
  for (const login of logins) {
    login.write(`POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
  }
  // The signal that the server holds all three: it logged each request's arrival (at debug).
  const incoming = (url: string) => (text: string) => text.split('\n').filter((line) => line.includes('incoming request') && line.includes(`"url":"${url}"`)).length;
  await server.waitForLine(() => incoming('/healthz')(server.stdout()) >= 1 && incoming('/v1/auth/login')(server.stdout()) >= 2);

  const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  const shuttingDown = server.waitForLine(shuttingDownLine);
  server.child.kill('SIGTERM');
  await shuttingDown;

  for (const login of logins) login.write(body.slice(10));
  for (const answer of await Promise.all(logins.map((login) => login.answer()))) {
    expect(status(answer)).toBe(200);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('"access_token"');
  }
  await idle.closed();
  // SHUTDOWN_GRACE_SECONDS is 60 and KEEP_ALIVE_TIMEOUT 72, beyond this test's timeout: only a
  // shutdown that closes idle connections and waits for nothing else exits in time.
  expect(await exit).toBe(0);
}

const ENV = { ...TEST_ARGON2, SHUTDOWN_GRACE_SECONDS: '60', KEEP_ALIVE_TIMEOUT: '72', LOG_LEVEL: 'debug' };

describe('SIGTERM finishes what was accepted and exits', () => {
  it('one process', async () => {
    const server = await startServer({ env: ENV });
    try {
      await drainScenario(server, 'shutting down: not ready');
    } finally {
      await server.stop();
    }
  });

  it('WORKERS=2: each worker drains, the primary exits when both have', async () => {
    const server = await startServer({ env: { ...ENV, WORKERS: '2' }, readyLine: 'all 2 workers listening' });
    try {
      await drainScenario(server, 'shutting down: not ready');
    } finally {
      await server.stop();
    }
  });
});

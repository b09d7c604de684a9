/**
 * Slow clients and draining, on a real listening socket in this process: a client that trickles
 * its headers or its body is cut off (408) within the configured bounds while others are served;
 * once shutdown starts, readiness is 503 and answers close their connections.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Sends `text` on a new connection and answers everything received until the server closes it. */
function trickle(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(received));
    socket.once('connect', () => void socket.write(text));
  });
}

describe('slow clients are cut off', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_TIMEOUT: '3', HEADERS_TIMEOUT: '2' });
    await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('headers never finished: 408 and the connection closed, while other clients are served', async () => {
    const cut = trickle(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await cut).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a body that never arrives in full: 408 and the connection closed', async () => {
    const answer = await trickle(port, 'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('draining', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('before: ready, connections kept; after the signal: readiness 503, every answer closes its connection', async () => {
    const before = await t.request('GET', '/readyz');
    expect(before.statusCode).toBe(200);
    expect(before.headers.connection).not.toBe('close');
    // The app's own drain, started as shutdown() starts it (without closing the app here).
    t.app.drain.start();
    const ready = await t.request('GET', '/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toMatch(/^\d+$/);
    expect(ready.headers.connection).toBe('close');
    const health = await t.request('GET', '/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.headers.connection).toBe('close');
  });
});

import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';

/** Where the Redis tests run: a local server by default. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CI must run every backend: an unreachable Redis fails the run there instead of skipping. */
export const REDIS_REQUIRED = process.env.CI === 'true';

/** Undefined when Redis answers PING at `url`; otherwise why not. */
export function redisUnavailable(url = TEST_REDIS_URL): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(3_000, () => {
      socket.destroy();
      resolve(`${hostname}:${port}: no answer`);
    });
    socket.once('error', (error) => resolve(`${hostname}:${port}: ${error.message}`));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG') ? undefined : `${hostname}:${port}: ${data.toString().trim()}`);
    });
  });
}

/** A key prefix of its own for one test run, so runs never see each other's counters. */
export function testRedisPrefix(): string {
  return `tessera-test:${randomBytes(6).toString('hex')}:`;
}

/**
 * Password hashes run on libuv's pool: a process whose pool is smaller than
 * PASSWORD_HASH_CONCURRENCY says so at start (its pool exists before any of its code runs).
 */
import { expect, it } from 'vitest';
import { startServer } from '../support/server-process.js';

it('warns when UV_THREADPOOL_SIZE is below PASSWORD_HASH_CONCURRENCY, and not when it is enough', async () => {
  const small = await startServer({ env: { PASSWORD_HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '4' } });
  try {
    expect(small.stdout()).toContain('UV_THREADPOOL_SIZE (4) is below PASSWORD_HASH_CONCURRENCY (6): start with UV_THREADPOOL_SIZE=8');
  } finally {
    await small.stop();
  }
  const enough = await startServer({ env: { PASSWORD_HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '8' } });
  try {
    expect(enough.stdout()).toContain('Tessera listening');
    expect(enough.stdout()).not.toContain('UV_THREADPOOL_SIZE');
  } finally {
    await enough.stop();
  }
}, 90_000);

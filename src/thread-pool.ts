/**
 * Password hashes run on libuv's thread pool, which is sized once, before the first module is
 * read: a pool smaller than PASSWORD_HASH_CONCURRENCY makes hashes (and file reads) queue inside
 * libuv, invisible to the load shedding. Workers are forked with a pool of the concurrency plus
 * two (for file and DNS work); a single process can only say so, since its pool already exists.
 */
import { availableParallelism } from 'node:os';
import type { Config } from './config/schema.js';

/** libuv's pool when UV_THREADPOOL_SIZE is unset. */
export const LIBUV_DEFAULT_POOL = 4;

export function hashConcurrency(config: Config): number {
  return config.PASSWORD_HASH_CONCURRENCY === 0 ? availableParallelism() : config.PASSWORD_HASH_CONCURRENCY;
}

/** The pool a forked worker gets when UV_THREADPOOL_SIZE is unset. */
export function workerThreadPool(config: Config): number {
  return Math.max(LIBUV_DEFAULT_POOL, hashConcurrency(config) + 2);
}

export function threadPoolWarning(config: Config): string | undefined {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || LIBUV_DEFAULT_POOL;
  const wanted = hashConcurrency(config);
  if (pool >= wanted) return undefined;
  return `UV_THREADPOOL_SIZE (${pool}) is below PASSWORD_HASH_CONCURRENCY (${wanted}): start with UV_THREADPOOL_SIZE=${wanted + 2}`;
}

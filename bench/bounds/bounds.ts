/** The bounds the scenarios are measured against (see interleave.ts). */
import { runLoad } from '../load/run-load.js';
import { options, type Algorithm } from '../options.js';
import type { Bound } from '../interleave.js';
import { runBound } from './run-bound.js';
import type { VerifyServer } from './verify-bound.js';

/** argon2id verifications per second at the configured parameters, every core busy (2 per core in flight). */
export function argon2Bound(): Bound {
  const { memoryKib, timeCost, parallelism } = options.argon2;
  return {
    key: 'argon2',
    name: `argon2id verify/s, m=${memoryKib} t=${timeCost} p=${parallelism}, ${options.cores} cores busy`,
    measure: () =>
      runBound(
        { kind: 'argon2', inFlight: options.cores * 2, warmup: 1, duration: options.boundDuration, argon2: options.argon2 },
        1,
        { UV_THREADPOOL_SIZE: String(Math.max(4, options.cores)) },
      ),
  };
}

/** jose signatures per second with a key of the configured algorithm, in as many processes as the server has workers. */
export function signBound(algorithm: Algorithm, processes: number): Bound {
  return {
    key: `sign-${algorithm}-${processes}`,
    name: `${algorithm} sign/s (jose, ${processes} process${processes > 1 ? 'es' : ''}, 8 in flight each)`,
    measure: () => runBound({ kind: 'sign', inFlight: 8, warmup: 1, duration: options.boundDuration, algorithm }, processes),
  };
}

/** Requests per second of the bare Fastify route that only verifies the same tokens with jose. */
export function verifyBound(server: VerifyServer, tokens: string[], processes: number): Bound {
  return {
    key: 'verify',
    name: `bare Fastify + jose verify route (${processes} process${processes > 1 ? 'es' : ''})`,
    measure: async () => {
      const variants = tokens.map((token) => ({ method: 'GET' as const, path: '/verify', headers: { authorization: `Bearer ${token}` } }));
      const result = await runLoad(
        { url: server.url, connections: options.connections, warmup: 1, duration: options.boundDuration, mode: 'rotate', variants },
        [server.pid],
      );
      if (result.errors > 0) throw new Error(`verify bound: ${result.errors} failed requests ${JSON.stringify(result.statuses)}`);
      return { rate: result.rps, cpuPercent: result.cpuPercent };
    },
  };
}

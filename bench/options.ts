/**
 * The bench's settings, from the environment, so that one scenario can be run quickly:
 *   BENCH_DURATION=3 BENCH_SCENARIOS=refresh BENCH_BACKENDS=sqlite BENCH_WORKERS=1 npm run bench
 */
import { availableParallelism } from 'node:os';

export type Backend = 'sqlite' | 'postgres';
export type Algorithm = 'RS256' | 'ES256' | 'EdDSA';

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

const duration = number('BENCH_DURATION', 5);

export const options = {
  /** Seconds each scenario is measured, after BENCH_WARMUP seconds of the same load. */
  duration,
  warmup: number('BENCH_WARMUP', 2),
  /** Seconds each bound is measured (before and after each scenario: interleaved). */
  boundDuration: number('BENCH_BOUND_DURATION', Math.max(2, Math.round(duration / 2))),
  connections: number('BENCH_CONNECTIONS', 10),
  /** Scenario names or groups to run (substring match); empty = all. */
  scenarios: list('BENCH_SCENARIOS', ''),
  backends: list('BENCH_BACKENDS', 'sqlite,postgres') as Backend[],
  workers: list('BENCH_WORKERS', '1,2').map(Number),
  /** User counts for the growth scenarios (login, refresh, bearer); the first is used for all the others. */
  users: list('BENCH_USERS', '1000,1000000').map(Number),
  /** JWT_ALGORITHM of the main runs; BENCH_ALGORITHMS: the refresh comparison. */
  algorithm: (process.env.BENCH_JWT_ALGORITHM ?? 'RS256') as Algorithm,
  algorithms: list('BENCH_ALGORITHMS', 'RS256,ES256,EdDSA') as Algorithm[],
  soakSeconds: number('BENCH_SOAK_SECONDS', 600),
  /** Access tokens (one per user) the bearer reads rotate over. */
  tokens: number('BENCH_TOKENS', 100),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  /** Extra node flags for the Tessera server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (profiling). */
  serverNodeArgs: list('BENCH_SERVER_NODE_ARGS', '').flatMap((s) => s.split(/\s+/)),
  /** Extra server settings, space-separated NAME=value pairs, e.g. `PASSWORD_HASH_CONCURRENCY=3` (experiments). */
  serverEnv: Object.fromEntries(
    list('BENCH_SERVER_ENV', '')
      .flatMap((s) => s.split(/\s+/))
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ) as Record<string, string>,
  postgresUrl: process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  argon2: {
    memoryKib: number('ARGON2_MEMORY_KIB', 19_456),
    timeCost: number('ARGON2_TIME_COST', 2),
    parallelism: number('ARGON2_PARALLELISM', 1),
  },
  cores: availableParallelism(),
};

/** Whether a scenario (or one of its groups) was asked for. */
export function wanted(...names: string[]): boolean {
  if (options.scenarios.length === 0) return true;
  return options.scenarios.some((filter) => names.some((name) => name.includes(filter)));
}

export const PASSWORD = 'benchmark harbor violet 2024';
export const userName = (i: number): string => `bench-${String(i).padStart(7, '0')}`;

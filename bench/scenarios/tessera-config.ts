/**
 * One server configuration (backend, WORKERS, seeded users, JWT algorithm): starts Tessera and the
 * bare verify route beside it, makes the fixtures, runs the chosen scenarios interleaved with
 * their bounds, and stops both.
 */
import { loadavg } from 'node:os';
import { startVerifyServer } from '../bounds/verify-bound.js';
import { interleaved, type Row, type Step } from '../interleave.js';
import { options, type Algorithm } from '../options.js';
import { memoryOf, type MemorySnapshot } from '../proc-stats.js';
import type { BenchDatabase } from '../tessera/database.js';
import { serverEnv } from '../tessera/env.js';
import { apiKeys, jwks, loginAll, oauthClient } from '../tessera/fixtures.js';
import { rotationUsers } from '../tessera/seed.js';
import { startTessera } from '../tessera/server.js';
import type { Context } from './context.js';
import { bearerMeStep, bearerProfileStep, apiKeyStep } from './reads.js';
import { iotTokenStep, loginStep, registerStep } from './password.js';
import { clientCredentialsStep, refreshStep } from './tokens.js';

export type ScenarioName = 'login' | 'refresh' | 'bearer' | 'api-key' | 'iot-token' | 'register' | 'client-credentials';

export const ALL_SCENARIOS: ScenarioName[] = ['login', 'refresh', 'bearer', 'api-key', 'iot-token', 'register', 'client-credentials'];

export interface ConfigResult {
  config: string;
  startRss: MemorySnapshot;
  rows: Row[];
}

function stepsFor(ctx: Context, names: ScenarioName[], algorithm: Algorithm): Step[] {
  const steps: Step[] = [];
  // Grouped by bound, so neighbours share a bound measurement.
  if (names.includes('login')) steps.push(loginStep(ctx));
  if (names.includes('iot-token')) steps.push(iotTokenStep(ctx));
  if (names.includes('register')) steps.push(registerStep(ctx));
  if (names.includes('refresh')) steps.push(refreshStep(ctx, algorithm));
  if (names.includes('client-credentials')) steps.push(clientCredentialsStep(ctx, algorithm));
  if (names.includes('bearer')) steps.push(bearerMeStep(ctx), bearerProfileStep(ctx));
  if (names.includes('api-key')) steps.push(apiKeyStep(ctx));
  return steps;
}

export async function runConfig(
  database: BenchDatabase,
  workers: number,
  algorithm: Algorithm,
  names: ScenarioName[],
  onRow: (row: Row) => void,
  label = '',
): Promise<ConfigResult | undefined> {
  const chosen = names;
  if (chosen.length === 0) return undefined;
  const usersLabel = database.users >= 1_000_000 ? `${database.users / 1_000_000}M` : `${database.users / 1000}k`;
  const config = `${database.backend}, WORKERS=${workers}, ${usersLabel} users, ${algorithm}${label ? `, ${label}` : ''}`;
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\n== ${config} (${new Date().toISOString().slice(11, 19)} UTC; seeded in ${database.seconds.seed.toFixed(1)} s; load average ${load})`);
  const tessera = await startTessera({ dir: database.dir, databaseUrl: database.databaseUrl, workers, env: serverEnv(algorithm) });
  try {
    const startRss = memoryOf(tessera.pid);
    const rotation = rotationUsers(database.users);
    const sessions = await loginAll(tessera.url, rotation.slice(0, Math.max(options.tokens, options.connections * 3)));
    const accessTokens = sessions.slice(0, options.tokens).map((s) => s.access_token);
    const refreshTokens = sessions.slice(0, options.connections * 3).map((s) => s.refresh_token);
    const keys = chosen.includes('api-key') ? await apiKeys(tessera.url, sessions.slice(0, 20)) : [];
    const client = chosen.includes('client-credentials') ? await oauthClient(tessera.url) : { id: '', secret: '' };
    const verify = await startVerifyServer(await jwks(tessera.url), accessTokens[0]!, workers);
    try {
      const ctx: Context = { tessera, verify, backend: database.backend, workers, users: database.users, rotation, accessTokens, refreshTokens, apiKeys: keys, client };
      const rows = await interleaved(config, stepsFor(ctx, chosen, algorithm), onRow);
      return { config, startRss, rows };
    } finally {
      await verify.stop();
    }
  } finally {
    await tessera.stop();
  }
}

/**
 * `npm run bench`: builds, then for each backend, user count and WORKERS starts the real server
 * (node dist/main.js) on a free loopback port with a temp data folder, loads it from a separate
 * process (autocannon) and prints every figure next to its bound measured in the same run,
 * interleaved (interleave.ts). Then the JWT algorithms on refresh, a mixed soak for memory, and
 * Better Auth side by side. It prints; it asserts nothing; it is not part of `npm test`.
 *
 * Options (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_BOUND_DURATION, BENCH_CONNECTIONS,
 * BENCH_SCENARIOS (comma-separated substrings: login, refresh, bearer, api-key, iot-token,
 * register, client-credentials, growth, algorithms, soak, better-auth), BENCH_BACKENDS
 * (sqlite,postgres), BENCH_WORKERS (1,2), BENCH_USERS (1000,1000000), BENCH_SOAK_SECONDS (600),
 * BENCH_JWT_ALGORITHM (RS256), BENCH_ALGORITHMS, BENCH_LOG_LEVEL (info), BENCH_BUILD (head: the last commit, built in a temp
 * folder; worktree; none).
 */
import { cpus, loadavg } from 'node:os';
import type { Row } from './interleave.js';
import { options, wanted } from './options.js';
import { algorithmTable, markdownTable, memoryLine, printRow, summaryTable } from './report.js';
import { runAlgorithms } from './scenarios/algorithms.js';
import { runBetterAuth } from './scenarios/better-auth.js';
import { runSoak, type SoakResult } from './scenarios/soak.js';
import { ALL_SCENARIOS, runConfig, type ConfigResult, type ScenarioName } from './scenarios/tessera-config.js';
import { prepareDatabase } from './tessera/database.js';
import { build } from './tessera/build.js';
import { serverEnv } from './tessera/env.js';
import { useBuild } from './tessera/server.js';

const GROWTH: ScenarioName[] = ['login', 'refresh', 'bearer'];

async function main(): Promise<void> {
  const built = build();
  useBuild(built.root);
  try {
    await runAll(built.describe);
  } finally {
    built.remove();
  }
}

async function runAll(describe: string): Promise<void> {
  console.log(`Tessera bench ${new Date().toISOString()}: ${describe}`);
  console.log(`node ${process.version}, ${options.cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(
    `${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s per scenario, bounds ${options.boundDuration} s before and after; ` +
      `LOG_LEVEL=${options.logLevel}, argon2id m=${options.argon2.memoryKib} t=${options.argon2.timeCost} p=${options.argon2.parallelism}`,
  );

  const rows: Row[] = [];
  const configs: ConfigResult[] = [];
  const onRow = (row: Row) => {
    rows.push(row);
    printRow(row);
  };
  const [baseUsers, ...growthUsers] = options.users;
  for (const backend of options.backends) {
    for (const users of [baseUsers!, ...growthUsers]) {
      const growth = users !== baseUsers;
      if (growth && !wanted('growth', ...GROWTH)) continue;
      const database = await prepareDatabase(backend, users, serverEnv(options.algorithm));
      try {
        // Growth: the scenarios whose cost could depend on the table size, at WORKERS=1 only.
        for (const workers of growth ? [1] : options.workers) {
          const result = await runConfig(database, workers, options.algorithm, (growth ? GROWTH : ALL_SCENARIOS).filter((name) => wanted(name, growth ? 'growth' : name)), onRow);
          if (result) configs.push(result);
        }
      } finally {
        await database.remove();
      }
    }
  }

  if (wanted('algorithms')) await runAlgorithms(options.algorithms, onRow);
  let soak: SoakResult | undefined;
  if (wanted('soak')) soak = await runSoak();
  const betterAuth = wanted('better-auth') ? await runBetterAuth(onRow) : undefined;

  console.log('\n## Overview (req/s = ratio to the bound (CPU ratio))\n');
  console.log(summaryTable(rows, configs.map((c) => c.config)));
  console.log('\n## Results\n');
  console.log(markdownTable(rows));
  if (configs.length > 0) {
    console.log('\n## RSS at start (after /healthz, before load)\n');
    console.log('| configuration | RSS, all processes | processes | largest process |\n|---|---|---|---|');
    for (const c of configs) console.log(memoryLine(c.config, c.startRss));
  }
  if (rows.some((r) => r.config.includes('algorithm comparison'))) console.log(`\n## JWT_ALGORITHM\n\n${algorithmTable(rows)}`);
  if (soak) console.log(`\n## Soak\n\n${soak.markdown}`);
  if (betterAuth) console.log(`\n## Tessera / Better Auth\n\n${betterAuth}`);
  console.log(`\nfinished ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

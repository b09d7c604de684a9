/**
 * Memory over a mixed soak (BENCH_SOAK_SECONDS, default 600): SQLite, WORKERS=1, a rotation of
 * bearer reads on both routes, API-key reads, and logins of the seeded users, from one load
 * process. RSS of the server tree is sampled every 5 s; growth is the end minus the first sample
 * after the first tenth of the soak (the caches have filled by then).
 */
import { runLoad } from '../load/run-load.js';
import type { RequestVariant } from '../load/spec.js';
import { options, PASSWORD } from '../options.js';
import { memoryOf } from '../proc-stats.js';
import { prepareDatabase } from '../tessera/database.js';
import { serverEnv } from '../tessera/env.js';
import { apiKeys, loginAll } from '../tessera/fixtures.js';
import { rotationUsers } from '../tessera/seed.js';
import { startTessera } from '../tessera/server.js';

export interface SoakResult {
  markdown: string;
}

export async function runSoak(): Promise<SoakResult> {
  const seconds = options.soakSeconds;
  console.log(`\n== soak: SQLite, WORKERS=1, ${seconds} s mixed load`);
  const database = await prepareDatabase('sqlite', options.users[0]!, serverEnv(options.algorithm));
  const tessera = await startTessera({ dir: database.dir, databaseUrl: database.databaseUrl, workers: 1, env: serverEnv(options.algorithm) });
  try {
    const start = memoryOf(tessera.pid).totalMb;
    const rotation = rotationUsers(database.users);
    const sessions = await loginAll(tessera.url, rotation.slice(0, options.tokens));
    const keys = await apiKeys(tessera.url, sessions.slice(0, 20));
    const json = { 'content-type': 'application/json' };
    const reads: RequestVariant[] = sessions.flatMap((s, i): RequestVariant[] => [
      { method: 'GET' as const, path: '/v1/api/auth/me', headers: { authorization: `Bearer ${s.access_token}` } },
      { method: 'GET' as const, path: '/v1/user/profile', headers: { authorization: `Bearer ${s.access_token}` } },
      { method: 'GET' as const, path: '/v1/user/profile', headers: { 'x-api-key': keys[i % keys.length]! } },
    ]);
    // One login per ~60 reads: a login costs about as much CPU as a hundred reads.
    const variants = reads.flatMap((read, i): RequestVariant[] =>
      i % 60 === 0 ? [read, { method: 'POST' as const, path: '/v1/auth/login', headers: json, body: JSON.stringify({ username: rotation[i % rotation.length], password: PASSWORD }) }] : [read],
    );
    const timeline: Array<{ at: number; mb: number }> = [];
    const began = performance.now();
    const timer = setInterval(() => timeline.push({ at: (performance.now() - began) / 1000, mb: memoryOf(tessera.pid).totalMb }), 5_000);
    const load = await runLoad({ url: tessera.url, connections: options.connections, warmup: 0, duration: seconds, mode: 'rotate', variants }, [tessera.pid]);
    clearInterval(timer);
    const end = memoryOf(tessera.pid).totalMb;
    const settledSample = timeline.find((s) => s.at >= seconds / 10);
    const settled = settledSample?.mb ?? start;
    const peak = Math.max(load.peak.totalMb, ...timeline.map((s) => s.mb));
    const every = timeline.filter((_, i) => i % Math.max(1, Math.round(timeline.length / 12)) === 0).map((s) => `${s.at.toFixed(0)} s ${s.mb.toFixed(0)} MB`);
    const line =
      `soak ${seconds} s: ${load.rps.toFixed(0)} req/s, p99 ${load.p99} ms, errors ${load.errors}, cpu ${load.cpuPercent.toFixed(0)}%; ` +
      `RSS start ${start.toFixed(0)} MB, after ${(settledSample?.at ?? 0).toFixed(0)} s ${settled.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, end ${end.toFixed(0)} MB (growth after the first tenth: ${(end - settled).toFixed(0)} MB)`;
    console.log(line);
    return { markdown: `${line}\n\nRSS of the server over the soak: ${every.join(', ')}` };
  } finally {
    await tessera.stop();
    await database.remove();
  }
}

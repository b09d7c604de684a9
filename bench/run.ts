/**
 * `npm run bench`: builds, starts the real server (node dist/main.js) on a free loopback port with
 * a temp SQLite file, and measures a few routes with autocannon. Each figure is also given as a
 * ratio to GET /healthz measured in the same run, the bound for this machine at this moment:
 * absolute numbers depend on the machine, ratios much less.
 *
 * Not part of `npm test`: timings make flaky tests.
 */
import { spawnSync } from 'node:child_process';
import autocannon, { type Options, type Result } from 'autocannon';
import { PROJECT_ROOT, startServer, type ServerProcess } from '../test/support/server-process.js';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 10;
const USERNAME = 'bench-user';
const PASSWORD = 'benchmark harbor violet 2024';

interface Figure {
  name: string;
  result: Result;
  note?: string;
}

async function post(server: ServerProcess, path: string, body: unknown): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

function run(name: string, options: Options): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: DURATION_SECONDS, ...options }, (error, result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ name, result });
    });
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

function report(figures: Figure[]): void {
  const bound = figures.find((f) => f.name === 'healthz')!.result.requests.average;
  console.log(`\nTessera bench: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per route, loopback, SQLite, node ${process.version}`);
  for (const { name, result, note } of figures) {
    const rps = result.requests.average;
    const failures = result.non2xx + result.errors + result.timeouts;
    console.log(
      `${name.padEnd(8)}: ${rps.toFixed(0).padStart(6)} req/s = ${(rps / bound).toFixed(3)} x healthz` +
        `   p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms` +
        `   (${result.requests.total} requests, ${failures} failed)${note ? `  ${note}` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');

  // One user logs in from 10 connections at once: the brute-force throttle counts attempts in
  // flight, so it is opened wide here; the bench measures throughput, not the throttle.
  const server = await startServer({
    args: ['dist/main.js'],
    env: { LOG_LEVEL: 'warn', LOGIN_FREE_ATTEMPTS: '1000', LOGIN_IP_FREE_ATTEMPTS: '100000' },
  });
  try {
    await post(server, '/v1/user', { username: USERNAME, password: PASSWORD });
    const { access_token } = await post(server, '/v1/auth/login', { username: USERNAME, password: PASSWORD });
    const json = { 'content-type': 'application/json' };
    const figures: Figure[] = [];

    figures.push(await run('healthz', { url: `${server.url}/healthz` }));

    figures.push(
      await run('login', {
        url: `${server.url}/v1/auth/login`,
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
      }),
    );

    // Refresh tokens are single-use, so every request needs an unused one. A pool of families
    // (one login each) is shared by the connections: each request takes a token from the pool and
    // its 200 answer puts the successor back. No token is ever presented twice.
    const pool: string[] = [];
    for (let i = 0; i < CONNECTIONS * 3; i += 1) pool.push((await post(server, '/v1/auth/login', { username: USERNAME, password: PASSWORD })).refresh_token!);
    let starved = 0;
    const refresh = await run('refresh', {
      url: server.url,
      requests: [
        {
          method: 'POST',
          path: '/v1/auth/refresh',
          headers: json,
          setupRequest: (request) => {
            const token = pool.shift();
            if (token === undefined) starved += 1;
            return { ...request, body: JSON.stringify({ token: token ?? 'pool-empty' }) };
          },
          onResponse: (status, body) => {
            if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
          },
        },
      ],
    });
    if (starved > 0) refresh.note = `(${starved} requests found the token pool empty)`;
    figures.push(refresh);

    figures.push(
      await run('profile', {
        url: `${server.url}/v1/user/profile`,
        headers: { authorization: `Bearer ${access_token}` },
      }),
    );

    report(figures);
    const failed = figures.filter((f) => f.result.non2xx + f.result.errors > 0).map((f) => f.name);
    if (failed.length > 0) console.warn(`warning: failed requests in ${failed.join(', ')}: the figures for those are not clean`);
  } finally {
    const code = await server.stop();
    const stderr = server.stderr().trim();
    if (code !== 0 || stderr !== '') console.warn(`server exit code ${code}${stderr ? `, stderr:\n${stderr}` : ''}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

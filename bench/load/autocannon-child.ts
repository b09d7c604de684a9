/**
 * The load generator, in its own process (forked by run-load.ts), so that it never shares an
 * event loop with the server it measures. Runs the warm-up, says `measuring`, runs the measured
 * part with the same state (the refresh pool carries over), and sends the summary.
 */
import autocannon, { type Options, type Request, type Result } from 'autocannon';
import type { LoadMessage, LoadResult, LoadSpec } from './spec.js';

function send(message: LoadMessage): void {
  process.send!(message);
}

function requestsOf(spec: LoadSpec, notes: { starved: number }): Request[] {
  if (spec.mode === 'rotate') {
    let next = 0;
    return [
      {
        setupRequest: (request) => {
          const variant = spec.variants[next % spec.variants.length]!;
          next += 1;
          return { ...request, method: variant.method, path: variant.path, headers: { ...variant.headers }, body: variant.body };
        },
      },
    ];
  }
  if (spec.mode === 'refresh') {
    const pool = [...spec.tokens];
    return [
      {
        method: 'POST',
        path: spec.path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const token = pool.shift();
          if (token === undefined) notes.starved += 1;
          return { ...request, body: JSON.stringify({ token: token ?? 'pool-empty' }) };
        },
        onResponse: (status, body) => {
          if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
        },
      },
    ];
  }
  let counter = 0;
  return [
    {
      method: 'POST',
      path: spec.path,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        counter += 1;
        return { ...request, body: JSON.stringify({ username: `${spec.prefix}-${counter}`, password: spec.password }) };
      },
    },
  ];
}

function run(options: Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
  });
}

async function main(spec: LoadSpec): Promise<void> {
  const notes = { starved: 0 };
  const requests = requestsOf(spec, notes);
  const base: Options = { url: spec.url, connections: spec.connections, requests, timeout: 30 };
  if (spec.warmup > 0) await run({ ...base, duration: spec.warmup });
  notes.starved = 0;
  send({ type: 'measuring' });
  const result = await run({ ...base, duration: spec.duration });
  const statuses: Record<string, number> = {};
  for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) statuses[code] = (count as { count: number }).count;
  }
  const summary: LoadResult = {
    rps: result.requests.total / (result.duration || spec.duration),
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    statuses,
    ...(notes.starved > 0 ? { note: `${notes.starved} requests found the refresh pool empty` } : {}),
  };
  send({ type: 'result', result: summary });
}

process.once('message', (spec: LoadSpec) => {
  main(spec).then(
    () => process.disconnect(),
    (error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.disconnect();
    },
  );
});

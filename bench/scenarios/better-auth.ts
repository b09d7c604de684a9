/**
 * Better Auth side by side with Tessera, interleaved in one sequence on the same machine:
 * Tessera login, Better Auth sign-in with argon2id at Tessera's parameters, Better Auth sign-in
 * with its defaults (scrypt), then Tessera's bearer read beside Better Auth's get-session.
 * Both on SQLite, one process, 1,000 users each; printed as Tessera / Better Auth ratios.
 */
import { startBetterAuth, signInCookies, baEmail, type BetterAuth } from '../better-auth/start.js';
import { argon2Bound } from '../bounds/bounds.js';
import { interleaved, type Row, type Step } from '../interleave.js';
import { runLoad } from '../load/run-load.js';
import { options, PASSWORD } from '../options.js';
import { prepareDatabase } from '../tessera/database.js';
import { serverEnv } from '../tessera/env.js';
import { runConfig } from './tessera-config.js';

const USERS = 1000;

function signIn(server: BetterAuth): Step {
  const variants = Array.from({ length: USERS }, (_, i) => ({
    method: 'POST' as const,
    path: '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: baEmail(i), password: PASSWORD }),
  }));
  return {
    scenario: `Better Auth sign-in (${server.mode === 'argon2id' ? 'argon2id hooks' : 'its default scrypt'}, ${USERS} users)`,
    bound: argon2Bound(),
    run: () => runLoad({ url: server.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'rotate', variants }, [server.pid]),
  };
}

async function getSession(server: BetterAuth): Promise<Step> {
  const cookies = await signInCookies(server, options.tokens);
  const variants = cookies.map((cookie) => ({ method: 'GET' as const, path: '/api/auth/get-session', headers: { cookie } }));
  return {
    scenario: `Better Auth get-session (${cookies.length} sessions)`,
    run: () => runLoad({ url: server.url, connections: options.connections, warmup: options.warmup, duration: options.duration, mode: 'rotate', variants }, [server.pid]),
  };
}

const find = (rows: Row[], text: string) => rows.find((row) => row.scenario.includes(text));
const times = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a (no answer completed)');

export async function runBetterAuth(onRow: (row: Row) => void): Promise<string> {
  const database = await prepareDatabase('sqlite', USERS, serverEnv(options.algorithm));
  const argon = await startBetterAuth('argon2id', USERS);
  const plain = await startBetterAuth('default', USERS);
  const rows: Row[] = [];
  try {
    const collect = (row: Row) => {
      rows.push(row);
      onRow(row);
    };
    await runConfig(database, 1, options.algorithm, ['login'], collect, 'side by side');
    await interleaved('Better Auth 1.7, SQLite, 1 process', [signIn(argon), signIn(plain)], collect);
    await runConfig(database, 1, options.algorithm, ['bearer'], collect, 'side by side');
    await interleaved('Better Auth 1.7, SQLite, 1 process', [await getSession(argon)], collect);
  } finally {
    await Promise.all([argon.stop(), plain.stop(), database.remove()]);
  }
  const pick = (text: string) => {
    const { rps, cpuPercent } = find(rows, text)!.load;
    return { rps, perCpu: cpuPercent > 0 ? rps / (cpuPercent / 100) : 0 };
  };
  const login = pick('login (');
  const me = pick('/v1/api/auth/me');
  const pairs: Array<[string, { rps: number; perCpu: number }, string, { rps: number; perCpu: number }]> = [
    ['login', login, 'sign-in, argon2id at the same parameters', pick('argon2id hooks')],
    ['login', login, 'sign-in, its default (scrypt)', pick('default scrypt')],
    ['bearer GET /v1/api/auth/me', me, 'get-session', pick('get-session')],
  ];
  return [
    '| Tessera | Better Auth | Tessera / Better Auth, req/s | per server CPU-second |',
    '|---|---|---|---|',
    ...pairs.map(
      ([tName, t, bName, b]) => `| ${tName} ${t.rps.toFixed(0)}/s | ${bName} ${b.rps.toFixed(0)}/s | ${times(t.rps, b.rps)} | ${times(t.perCpu, b.perCpu)} |`,
    ),
  ].join('\n');
}

/**
 * A database for one series of runs: a temp folder (SQLite file, logs, outbox) and, on
 * PostgreSQL, a schema of its own. The schema is made by starting the server once (its
 * migrations), then the users are seeded in bulk, then the server is stopped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { options, type Backend } from '../options.js';
import { seedPostgres, seedSqlite } from './seed.js';
import { startTessera } from './server.js';

export interface BenchDatabase {
  backend: Backend;
  dir: string;
  databaseUrl: string;
  users: number;
  seconds: { migrate: number; seed: number };
  remove(): Promise<void>;
}

export async function prepareDatabase(backend: Backend, users: number, env: Record<string, string>): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const schema = `tessera_bench_${randomBytes(5).toString('hex')}`;
  let databaseUrl = `sqlite:${dir}/tessera.db`;
  if (backend === 'postgres') {
    const url = new URL(options.postgresUrl);
    url.searchParams.set('schema', schema);
    databaseUrl = url.toString();
  }
  const remove = async () => {
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: options.postgresUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    }
  };
  try {
    let started = performance.now();
    const server = await startTessera({ dir, databaseUrl, workers: 1, env });
    await server.stop();
    const migrate = (performance.now() - started) / 1000;
    started = performance.now();
    if (backend === 'sqlite') await seedSqlite(`${dir}/tessera.db`, users);
    else await seedPostgres(options.postgresUrl, schema, users);
    return { backend, dir, databaseUrl, users, seconds: { migrate, seed: (performance.now() - started) / 1000 }, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

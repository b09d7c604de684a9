import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the PostgreSQL tests run; trust auth on a local server by default. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** CI must run every backend: an unreachable PostgreSQL fails the run there instead of skipping. */
export const POSTGRES_REQUIRED = process.env.CI === 'true';

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Undefined when PostgreSQL answers `select 1` at `url`; otherwise why it does not (no password in it). */
export async function postgresUnavailable(url = TEST_POSTGRES_URL): Promise<string | undefined> {
  try {
    await withClient(url, (client) => client.query('select 1'));
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    return `${redact(url)}: ${reason}`;
  }
}

/** A fresh schema name for one test run, so runs never see each other's rows. */
export function testSchemaName(): string {
  return `tessera_test_${randomBytes(6).toString('hex')}`;
}

/** The DATABASE_URL form Tessera reads: the base URL with `?schema=<name>`. */
export function urlWithSchema(schema: string, url = TEST_POSTGRES_URL): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

/** Removes a test schema and everything in it, over its own connection. */
export async function dropSchema(schema: string, url = TEST_POSTGRES_URL): Promise<void> {
  if (!/^tessera_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}`);
  await withClient(url, (client) => client.query(`drop schema if exists "${schema}" cascade`));
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'TEST_POSTGRES_URL';
  }
}

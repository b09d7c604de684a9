/**
 * Users in bulk, straight into the tables the migrations made (src/storage/migrations/0001), not
 * through the API: one argon2id hash at the configured parameters, computed once and reused, so a
 * million users take seconds. Usernames are `bench-0000000` ... (userName()); all one password.
 */
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import pg from 'pg';
import { options, PASSWORD, userName } from '../options.js';

const ARGON2ID = 2;

let cachedHash: Promise<string> | undefined;
export function passwordHash(): Promise<string> {
  cachedHash ??= hash(PASSWORD, {
    algorithm: ARGON2ID,
    memoryCost: options.argon2.memoryKib,
    timeCost: options.argon2.timeCost,
    parallelism: options.argon2.parallelism,
  });
  return cachedHash;
}

export async function seedSqlite(file: string, count: number): Promise<void> {
  const stored = await passwordHash();
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const now = Date.now();
    const insert = db.prepare(
      `insert into users (id, username, username_key, password_hash, password_changed_at, roles, email_verified, terms_accepted, locked, created_at, updated_at)
       values (?, ?, ?, ?, ?, '[]', 1, 1, 0, ?, ?)`,
    );
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        const name = userName(i);
        insert.run(randomUUID(), name, name, stored, now, now, now);
      }
    });
    for (let from = 0; from < count; from += 100_000) batch(from, Math.min(count, from + 100_000));
    db.exec('analyze');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

export async function seedPostgres(url: string, schema: string, count: number): Promise<void> {
  const stored = await passwordHash();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    const now = Date.now();
    for (let from = 0; from < count; from += 250_000) {
      const to = Math.min(count, from + 250_000) - 1;
      await client.query(
        `insert into users (id, username, username_key, password_hash, password_changed_at, roles, email_verified, terms_accepted, locked, created_at, updated_at)
         select gen_random_uuid()::text, u, u, $1, $2, '[]', 1, 1, 0, $2, $2
         from (select 'bench-' || lpad(g::text, 7, '0') as u from generate_series($3::int, $4::int) g) s`,
        [stored, now, from, to],
      );
    }
    await client.query('analyze users');
  } finally {
    await client.end();
  }
}

/** Users the password scenarios rotate over: at most `limit`, spread over the whole table. */
export function rotationUsers(count: number, limit = 1000): string[] {
  const n = Math.min(count, limit);
  const step = Math.floor(count / n);
  return Array.from({ length: n }, (_, i) => userName(i * step));
}

/**
 * SQLite's write-ahead log is copied into the database file by a thread of its own, never inside
 * a request's COMMIT on the event loop; if that thread is lost, SQLite's own checkpoints resume.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from '../../src/storage/sqlite/sqlite-dialect.js';
import { startWalCheckpointer } from '../../src/storage/sqlite/wal-checkpointer.js';
import { PROJECT_ROOT } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

type Db = Kysely<{ notes: { id: number; body: string } }>;

function open(file: string, onCheckpoint?: (frames: number) => void): Db {
  return new Kysely({ dialect: sqliteDialect(file, { onCheckpoint }).dialect });
}

async function writeSome(db: Db, rows: number): Promise<void> {
  for (let i = 0; i < rows; i += 1) await db.insertInto('notes').values({ id: i, body: 'x'.repeat(200) }).execute();
}

describe('SQLite checkpoints', () => {
  const opened: Db[] = [];
  const dirs: Array<{ path: string; remove(): void }> = [];
  const newDir = (): string => {
    const dir = tempDir();
    dirs.push(dir);
    return dir.path;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.destroy();
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('are made by the checkpointer thread: the connection that serves requests never checkpoints in a commit', async () => {
    const dir = newDir();
    let checkpointed!: (frames: number) => void;
    const firstCheckpoint = new Promise<number>((resolve) => (checkpointed = resolve));
    const db = open(`${dir}/t.db`, (frames) => checkpointed(frames));
    opened.push(db);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(rows[0]?.wal_autocheckpoint).toBe(0);
    await sql`create table notes (id integer primary key, body text not null)`.execute(db);
    await writeSome(db, 50);
    expect(await firstCheckpoint).toBeGreaterThan(0);
    await expect(db.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).resolves.toEqual({ n: 50 });
  });

  it('stop with the database: the same file opens again in the same process and takes writes at once', async () => {
    const dir = newDir();
    const first = open(`${dir}/t.db`);
    await sql`create table notes (id integer primary key, body text not null)`.execute(first);
    await writeSome(first, 20);
    await first.destroy();
    const again = open(`${dir}/t.db`);
    opened.push(again);
    await sql`pragma busy_timeout = 0`.execute(again);
    await again.insertInto('notes').values({ id: 1000, body: 'after reopening' }).execute();
    await expect(again.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).resolves.toEqual({ n: 21 });
  });

  it('stop before the process ends when nothing else keeps it alive (a setup process that migrates, then exits)', async () => {
    const file = `${newDir()}/t.db`;
    const program = [
      "import { Kysely, sql } from 'kysely';",
      "import { sqliteDialect } from './src/storage/sqlite/sqlite-dialect.ts';",
      `const db = new Kysely({ dialect: sqliteDialect(${JSON.stringify(file)}).dialect });`,
      "await sql`create table notes (id integer primary key)`.execute(db);",
      'await db.destroy();',
      "console.log('closed');",
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: PROJECT_ROOT });
    expect(stdout.trim()).toBe('closed');
  });

  it('hand back to SQLite when the thread is lost (here: its file cannot be opened)', async () => {
    const dir = newDir();
    const lost = new Promise<void>((resolve) => {
      startWalCheckpointer(`${dir}/missing/t.db`, { intervalMs: 250, onLost: resolve });
    });
    await expect(lost).resolves.toBeUndefined();
  });
});

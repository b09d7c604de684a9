/**
 * WORKERS=2: the primary only supervises. The one-time setup (migrations, first key, bootstrap
 * admin) runs in a child of its own, so the primary never loads the app, its storage or Fastify:
 * checked on the list of modules each process loaded (test/support/module-trace.ts), not on a
 * memory figure. A setup that fails ends the primary with its one line on stderr.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logLines, runToExit, startServer } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

const TRACED_ENTRY = ['--import', 'tsx', '--import', './test/support/module-trace.ts', 'src/main.ts'];

/** Modules only a serving (or setting up) process needs. */
const HEAVY = /\/src\/(app|cluster\/set-up)\.ts$|\/src\/(storage|http|core|cli)\/|\/node_modules\/(fastify|@fastify\/[^/]+|kysely|better-sqlite3|pg|argon2|jose|nodemailer|redis)\//;

function heavy(modules: string[]): string[] {
  return modules.filter((url) => HEAVY.test(url));
}

describe('the cluster primary stays light', () => {
  it('loads none of the app; the setup child and every worker do', { timeout: 60_000 }, async () => {
    const trace = tempDir('tessera-trace-');
    try {
      const server = await startServer({
        args: TRACED_ENTRY,
        env: { WORKERS: '2', TESSERA_BOOTSTRAP_ADMIN: 'boss:a passphrase for the boss', TESSERA_TEST_MODULE_TRACE_DIR: trace.path },
        readyLine: 'all 2 workers listening',
      });
      const ready = logLines(server.stdout()).find((line) => line.msg === 'all 2 workers listening');
      const workerPids = ready?.pids as number[];
      // The bootstrap admin was made by the setup child, before the workers started.
      const admin = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'boss', password: 'a passphrase for the boss' }),
      });
      expect(admin.status).toBe(200);
      // Each process writes its list as it exits.
      expect(await server.stop()).toBe(0);

      const modules = (pid: number) => JSON.parse(readFileSync(`${trace.path}/${pid}.json`, 'utf8')) as string[];
      const files = readdirSync(trace.path).map((name) => Number(name.replace('.json', '')));
      const primaryPid = server.child.pid!;
      const setupPids = files.filter((pid) => pid !== primaryPid && !workerPids.includes(pid));
      expect(files).toContain(primaryPid);
      expect(setupPids).toHaveLength(1);

      const primary = modules(primaryPid);
      // The trace sees the primary's own modules...
      expect(primary.some((url) => url.endsWith('/src/cluster/primary.ts'))).toBe(true);
      // ...and none of the app's.
      expect(heavy(primary)).toEqual([]);
      // The same trace sees the app where it belongs: in the setup child and in each worker.
      for (const pid of [...setupPids, ...workerPids]) {
        expect(modules(pid).some((url) => url.endsWith('/src/app.ts'))).toBe(true);
        expect(modules(pid).some((url) => url.includes('/node_modules/better-sqlite3/'))).toBe(true);
      }
      expect(modules(setupPids[0]!).some((url) => url.endsWith('/src/cluster/set-up.ts'))).toBe(true);
      for (const pid of workerPids) expect(modules(pid).some((url) => url.includes('/node_modules/fastify/'))).toBe(true);
    } finally {
      trace.remove();
    }
  });

  it('exits 1 with the setup child\'s one line when the setup fails', async () => {
    const dir = tempDir('tessera-setup-fails-');
    try {
      // The database's folder cannot be made: its parent is a file.
      writeFileSync(`${dir.path}/a-file`, '');
      const result = await runToExit({ WORKERS: '2', DATABASE_URL: `sqlite:${dir.path}/a-file/tessera.db`, LOG_LEVEL: 'info' });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tessera: could not start: .*a-file/)]);
      expect(result.stdout).not.toContain('starting 2 workers');
    } finally {
      dir.remove();
    }
  });
});

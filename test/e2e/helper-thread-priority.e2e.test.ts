/**
 * On Linux the helper threads (libuv's pool, where argon2id and signatures run, and V8's helpers)
 * run at HELPER_THREAD_NICE, below the event loop's thread, so crypto never preempts it. Read off
 * /proc of the real server process once it has said it listens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server-process.js';

/** The nice value of each thread of `pid`: field 19 of /proc/<pid>/task/<tid>/stat. */
function niceOfThreads(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nice.set(Number(task), Number(fields[16]));
  }
  return nice;
}

describe.runIf(process.platform === 'linux')('helper thread priority', () => {
  it('lowers every thread but the event loop to HELPER_THREAD_NICE (default 4), and leaves them alone at 0', { timeout: 90_000 }, async () => {
    const lowered = await startServer();
    try {
      const pid = lowered.child.pid!;
      const nice = niceOfThreads(pid);
      expect(nice.get(pid)).toBe(0);
      const helpers = [...nice].filter(([tid]) => tid !== pid).map(([, value]) => value);
      // libuv's pool alone is four threads.
      expect(helpers.length).toBeGreaterThanOrEqual(4);
      expect(new Set(helpers)).toEqual(new Set([4]));
    } finally {
      await lowered.stop();
    }
    const untouched = await startServer({ env: { HELPER_THREAD_NICE: '0' } });
    try {
      expect(new Set(niceOfThreads(untouched.child.pid!).values())).toEqual(new Set([0]));
    } finally {
      await untouched.stop();
    }
  });
});

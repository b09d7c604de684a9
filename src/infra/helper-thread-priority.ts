import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of this process's helper threads (libuv's pool, where argon2id
 * and the JWT signatures run, V8's compiler and GC helpers, the SQLite checkpointer) to `nice`,
 * leaving the event loop's thread at its own. On two cores the crypto threads otherwise preempt
 * the event loop, which then stalls every request behind them: measured on refresh (SQLite, one
 * process) 640 -> 825 requests/s, and a few per cent on login.
 *
 * Linux only (a thread's id is a task of /proc/self, and its nice value is its own); elsewhere,
 * or with `nice` 0, nothing changes. Threads made later inherit the event loop's priority.
 * Answers how many threads were lowered.
 */
export function lowerHelperThreads(nice: number): number {
  if (nice === 0 || process.platform !== 'linux') return 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const task of tasks) {
    const tid = Number(task);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      setPriority(tid, nice);
      lowered += 1;
    } catch {
      // the thread ended meanwhile, or the system refuses: it keeps its priority
    }
  }
  return lowered;
}

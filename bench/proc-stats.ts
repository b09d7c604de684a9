/**
 * CPU and memory of a process tree, read from /proc (Linux): the server's primary and its
 * cluster workers. CPU is utime + stime in clock ticks; RSS is resident pages.
 */
import { readFileSync, readdirSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this bench targets
const PAGE_BYTES = 4096;

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number;
  rssBytes: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: split after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): field n is fields[n - 3].
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), rssBytes: Number(fields[21]) * PAGE_BYTES };
  } catch {
    return undefined;
  }
}

/** The process and all its descendants alive right now. */
export function treeStats(root: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) all.push(stat);
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of all) {
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
    }
  }
  return all.filter((s) => inTree.has(s.pid));
}

export interface MemorySnapshot {
  /** Sum over the tree, MB. */
  totalMb: number;
  /** The largest single process, MB. */
  maxProcessMb: number;
  processes: number;
}

export function memoryOf(root: number): MemorySnapshot {
  const stats = treeStats(root);
  const mb = stats.map((s) => s.rssBytes / 1_048_576);
  return { totalMb: mb.reduce((a, b) => a + b, 0), maxProcessMb: Math.max(0, ...mb), processes: stats.length };
}

/** Samples a tree while a scenario runs: CPU between mark() and stop(), peak RSS throughout. */
export class TreeSampler {
  private timer: NodeJS.Timeout;
  private peak: MemorySnapshot = { totalMb: 0, maxProcessMb: 0, processes: 0 };
  private markTicks = 0;
  private markAt = 0;

  constructor(private readonly roots: number[], intervalMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    const snapshots = this.roots.map((root) => memoryOf(root));
    const totalMb = snapshots.reduce((a, s) => a + s.totalMb, 0);
    const maxProcessMb = Math.max(0, ...snapshots.map((s) => s.maxProcessMb));
    if (totalMb > this.peak.totalMb) this.peak = { ...this.peak, totalMb, processes: snapshots.reduce((a, s) => a + s.processes, 0) };
    if (maxProcessMb > this.peak.maxProcessMb) this.peak = { ...this.peak, maxProcessMb };
  }

  private ticks(): number {
    return this.roots.flatMap((root) => treeStats(root)).reduce((a, s) => a + s.ticks, 0);
  }

  /** The measured part starts (after the warm-up). */
  mark(): void {
    this.markTicks = this.ticks();
    this.markAt = performance.now();
  }

  /** CPU since mark() in percent of one core, and the peak RSS. */
  stop(): { cpuPercent: number; peak: MemorySnapshot } {
    clearInterval(this.timer);
    this.sample();
    const seconds = (performance.now() - this.markAt) / 1000;
    const cpuPercent = seconds > 0 ? ((this.ticks() - this.markTicks) / CLOCK_TICKS_PER_SECOND / seconds) * 100 : 0;
    return { cpuPercent, peak: this.peak };
  }
}

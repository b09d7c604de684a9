/**
 * Every figure beside its bound, measured in the same run and interleaved: bound, scenario, bound,
 * next scenario, bound... Scenarios that share a bound share the measurement between them, so
 * each scenario's ratio is to the mean of the bound just before and just after it, and the noise
 * of a machine that others share lands on both sides of the ratio alike.
 *
 * When other processes compete for the cores, throughput follows the share of CPU the scheduler
 * grants, so each row also carries a CPU ratio: the scenario's requests per server CPU-second
 * over the bound's operations per CPU-second (1.0 = a request costs the server what the bound's
 * operation alone costs). That one holds up under contention.
 */
import type { Measured } from './load/run-load.js';

export interface Bound {
  /** Scenarios with the same key share measurements. */
  key: string;
  name: string;
  measure(): Promise<BoundSample>;
}

export interface BoundSample {
  /** Operations per second. */
  rate: number;
  /** CPU of the bound's processes while measured, percent of one core. */
  cpuPercent: number;
}

export interface Step {
  scenario: string;
  run(): Promise<Measured>;
  bound?: Bound;
}

export interface Row {
  config: string;
  scenario: string;
  load: Measured;
  bound?: { name: string; before: number; after: number; mean: number; perCpuSecond: number };
  ratio?: number;
  /** (requests per server CPU-second) / (bound operations per CPU-second). */
  cpuRatio?: number;
}

const perCpuSecond = (rate: number, cpuPercent: number) => (cpuPercent > 0 ? rate / (cpuPercent / 100) : 0);

export async function interleaved(config: string, steps: Step[], onRow: (row: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  let last: { key: string; value: BoundSample } | undefined;
  for (const step of steps) {
    let before: BoundSample | undefined;
    if (step.bound) before = last?.key === step.bound.key ? last.value : await step.bound.measure();
    const load = await step.run();
    let row: Row = { config, scenario: step.scenario, load };
    if (step.bound && before !== undefined) {
      const after = await step.bound.measure();
      last = { key: step.bound.key, value: after };
      const mean = (before.rate + after.rate) / 2;
      const boundPerCpu = (perCpuSecond(before.rate, before.cpuPercent) + perCpuSecond(after.rate, after.cpuPercent)) / 2;
      const loadPerCpu = perCpuSecond(load.rps, load.cpuPercent);
      row = {
        ...row,
        bound: { name: step.bound.name, before: before.rate, after: after.rate, mean, perCpuSecond: boundPerCpu },
        ratio: load.rps / mean,
        ...(boundPerCpu > 0 ? { cpuRatio: loadPerCpu / boundPerCpu } : {}),
      };
    }
    rows.push(row);
    onRow(row);
  }
  return rows;
}

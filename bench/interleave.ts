/**
 * Every figure beside its bound, measured in the same run and interleaved: bound, scenario, bound,
 * next scenario, bound... Scenarios that share a bound share the measurement between them, so
 * each scenario's ratio is to the mean of the bound just before and just after it, and the noise
 * of a machine that others share lands on both sides of the ratio alike.
 */
import type { Measured } from './load/run-load.js';

export interface Bound {
  /** Scenarios with the same key share measurements. */
  key: string;
  name: string;
  measure(): Promise<number>;
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
  bound?: { name: string; before: number; after: number; mean: number };
  ratio?: number;
}

export async function interleaved(config: string, steps: Step[], onRow: (row: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  let last: { key: string; value: number } | undefined;
  for (const step of steps) {
    let before: number | undefined;
    if (step.bound) before = last?.key === step.bound.key ? last.value : await step.bound.measure();
    const load = await step.run();
    let row: Row = { config, scenario: step.scenario, load };
    if (step.bound && before !== undefined) {
      const after = await step.bound.measure();
      last = { key: step.bound.key, value: after };
      const mean = (before + after) / 2;
      row = { ...row, bound: { name: step.bound.name, before, after, mean }, ratio: load.rps / mean };
    }
    rows.push(row);
    onRow(row);
  }
  return rows;
}

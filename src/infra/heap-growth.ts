import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection left, in per cent.
 * V8's own choice on a machine with gigabytes is up to 4x: under a bearer-read load (where each
 * request leaves a little garbage that lives long enough to be promoted) a server whose live heap
 * is 35 MB let it grow to 125 MB before collecting, 240 MB RSS. At 1.5x the same load peaked at
 * 166 MB RSS with the same requests per second (BENCHMARKS.md). It is a pacing of the collector,
 * not a limit: the heap still grows as far as the live data needs.
 */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/** The flag to set, unless the operator chose a growth of their own (a node flag or NODE_OPTIONS). */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return given.some((arg) => FLAG.test(arg)) ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Paces this process's garbage collector to HEAP_GROWING_PERCENT. V8 reads the growth whenever a
 * full collection sets the next limit, so setting it once the process runs takes effect from the
 * next collection on (unlike the heap's sizes, which only a node flag can set).
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): void {
  const flag = heapGrowthFlag(execArgv, nodeOptions);
  if (flag) setFlagsFromString(flag);
}

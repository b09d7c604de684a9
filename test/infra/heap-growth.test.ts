/**
 * The server paces V8's collector (src/infra/heap-growth.ts): the old generation may grow only
 * half past what the last full collection left. Two real node processes run the same churn (a
 * ring of objects that live long enough to be promoted, replaced continually); the one that made
 * the call must peak well below the one that did not, and an operator's own flag wins.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { heapGrowthFlag, HEAP_GROWING_PERCENT } from '../../src/infra/heap-growth.js';

const run = promisify(execFile);
const MODULE = fileURLToPath(new URL('../../src/infra/heap-growth.ts', import.meta.url));

/** The churn's peak old-space size in bytes, in a fresh process that calls limitHeapGrowth() or not. */
async function peakOldSpace(limited: boolean): Promise<number> {
  const script = `
    import v8 from 'node:v8';
    import { limitHeapGrowth } from ${JSON.stringify(MODULE)};
    if (${limited}) limitHeapGrowth([], undefined);
    const ring = new Array(200_000);
    let peak = 0;
    for (let i = 0; i < 4_000_000; i++) {
      ring[i % ring.length] = { id: i, text: 'entry ' + i, list: [i, i + 1] };
      if (i % 10_000 === 0) peak = Math.max(peak, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size);
    }
    console.log(peak);`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } });
  return Number(stdout.trim());
}

describe('heap growth', () => {
  it('keeps the old generation near its live size under a promoting churn, where V8 alone lets it grow several times over', { timeout: 60_000 }, async () => {
    const unlimited = await peakOldSpace(false);
    const limited = await peakOldSpace(true);
    // Measured: about 162 MB against 84 MB (a live ring of some 50 MB).
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThan(unlimited * 0.75);
  });

  it("leaves an operator's own --heap-growing-percent alone, as a node flag or in NODE_OPTIONS", () => {
    expect(heapGrowthFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowthFlag(['--heap-growing-percent=80'], undefined)).toBeUndefined();
    expect(heapGrowthFlag([], '--max-old-space-size=512 --heap_growing_percent=30')).toBeUndefined();
    expect(heapGrowthFlag(['--heap-growing-percentage'], '--heap-growing')).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });
});

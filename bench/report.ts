/** Printing: one line per scenario as it finishes, and the whole table as Markdown at the end. */
import type { Row } from './interleave.js';
import type { MemorySnapshot } from './proc-stats.js';

const n = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)}k` : value >= 1000 ? `${(value / 1000).toFixed(2)}k` : value.toFixed(0));
const mb = (value: number) => `${value.toFixed(0)} MB`;

function errors(row: Row): string {
  const { errors, statuses, note } = row.load;
  if (errors === 0 && note === undefined) return '0';
  const codes = Object.entries(statuses)
    .map(([code, count]) => `${count}x${code}`)
    .join(' ');
  return `${errors}${codes ? ` (${codes})` : ''}${note ? ` ${note}` : ''}`;
}

export function printRow(row: Row): void {
  const { load } = row;
  const bound = row.bound
    ? `  bound ${n(row.bound.mean)}/s (${n(row.bound.before)}..${n(row.bound.after)}) ratio ${row.ratio!.toFixed(2)}, per CPU-second ${row.cpuRatio?.toFixed(2) ?? 'n/a'}`
    : '';
  console.log(
    `${row.scenario}: ${n(load.rps)}/s p50 ${load.p50} ms p99 ${load.p99} ms errors ${errors(row)} cpu ${load.cpuPercent.toFixed(0)}% ` +
      `peak RSS ${mb(load.peak.totalMb)} (largest process ${mb(load.peak.maxProcessMb)})${bound}`,
  );
}

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| configuration | scenario | req/s | p50 / p99 ms | errors | server CPU | peak RSS (largest process) | bound (before..after) | ratio | CPU ratio |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const { load } = row;
    const bound = row.bound ? `${row.bound.name}: ${n(row.bound.mean)}/s (${n(row.bound.before)}..${n(row.bound.after)})` : '';
    lines.push(
      `| ${row.config} | ${row.scenario} | ${n(load.rps)} | ${load.p50} / ${load.p99} | ${errors(row)} | ${load.cpuPercent.toFixed(0)}% | ` +
        `${mb(load.peak.totalMb)} (${mb(load.peak.maxProcessMb)}) | ${bound} | ${row.ratio === undefined ? '' : row.ratio.toFixed(2)} | ${row.cpuRatio === undefined ? '' : row.cpuRatio.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

export function memoryLine(config: string, start: MemorySnapshot): string {
  return `| ${config} | ${mb(start.totalMb)} | ${start.processes} | ${mb(start.maxProcessMb)} |`;
}

/**
 * The overview: one line per scenario, one column per configuration, each cell
 * `req/s = ratio (CPU ratio)`.
 * `configs` picks the columns (in order).
 */
export function summaryTable(rows: Row[], configs: string[]): string {
  const scenarios = [...new Set(rows.filter((r) => configs.includes(r.config)).map((r) => r.scenario))];
  const lines = [`| scenario | ${configs.join(' | ')} |`, `|---|${configs.map(() => '---|').join('')}`];
  for (const scenario of scenarios) {
    const cells = configs.map((config) => {
      const row = rows.find((r) => r.config === config && r.scenario === scenario);
      if (!row) return '';
      const cpu = row.cpuRatio === undefined ? '' : ` (CPU ${row.cpuRatio.toFixed(2)})`;
      return `${n(row.load.rps)}/s${row.ratio === undefined ? '' : ` = ${row.ratio.toFixed(2)}`}${cpu}`;
    });
    lines.push(`| ${scenario} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** JWT_ALGORITHM on refresh: each against its own sign bound, and against RS256. */
export function algorithmTable(rows: Row[]): string {
  const chosen = rows.filter((r) => r.config.includes('algorithm comparison'));
  const rs256 = (scenario: string) => chosen.find((r) => r.config.includes('RS256') && r.scenario.replace(/RS256|ES256|EdDSA/, '') === scenario);
  const lines = ['| algorithm | scenario | req/s | p99 ms | sign bound | ratio | CPU ratio | x RS256 |', '|---|---|---|---|---|---|---|---|'];
  for (const row of chosen) {
    const algorithm = /RS256|ES256|EdDSA/.exec(row.config)?.[0] ?? '';
    const base = rs256(row.scenario.replace(/RS256|ES256|EdDSA/, ''));
    lines.push(
      `| ${algorithm} | ${row.scenario} | ${n(row.load.rps)} | ${row.load.p99} | ${row.bound ? n(row.bound.mean) : ''}/s | ${row.ratio?.toFixed(2) ?? ''} | ${row.cpuRatio?.toFixed(2) ?? ''} | ${base ? (row.load.rps / base.load.rps).toFixed(2) : ''} |`,
    );
  }
  return lines.join('\n');
}

/** Command output on stdout: plain lines, aligned tables, or JSON for scripts. */
import { utcDateTime } from '../core/views/operator-views.js';

/** Anything text can be written to: process.stdout, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
}

export class Output {
  constructor(private readonly sink: TextSink) {}

  line(line = ''): void {
    this.sink.write(`${line}\n`);
  }

  json(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  /** Left-aligned columns separated by two spaces; an empty list prints only a note. */
  table(headers: string[], rows: string[][], empty = '(none)'): void {
    if (rows.length === 0) {
      this.line(empty);
      return;
    }
    const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
    const format = (cells: string[]) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    this.line(format(headers));
    for (const row of rows) this.line(format(row));
  }
}

/** Epoch milliseconds as the ISO date-time of every JSON answer (UTC, to the second); '-' for none. */
export function timestamp(ms: number | null): string {
  return ms === null ? '-' : utcDateTime(ms);
}

/** Collects a repeatable option (`--role a --role b`) into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

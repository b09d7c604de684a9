/** Command output on stdout: plain lines, aligned tables, or JSON for scripts. */

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  printLine(JSON.stringify(value, null, 2));
}

/** Left-aligned columns separated by two spaces; an empty list prints only a note. */
export function printTable(headers: string[], rows: string[][], empty = '(none)'): void {
  if (rows.length === 0) {
    printLine(empty);
    return;
  }
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  printLine(format(headers));
  for (const row of rows) printLine(format(row));
}

/** Epoch milliseconds as an ISO timestamp to the second; '-' for none. */
export function timestamp(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Collects a repeatable option (`--role a --role b`) into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Reads an import file into rows, each with where it came from: `line N` for CSV (the line the
 * record starts on) and `entry N` for JSON (its 1-based position in the array). A row the CSV
 * parser cannot read becomes a row error; a file that cannot be read at all is a CliError.
 */
import { parse, type CsvError } from 'csv-parse/sync';
import { CliError } from '../cli-context.js';

export type ImportFormat = 'json' | 'csv';

/** The fields of a user in an import file; `username` and `password_hash` are required. */
export const IMPORT_FIELDS = ['username', 'email', 'name', 'roles', 'password_hash'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ImportRow {
  /** `line N` or `entry N`. */
  where: string;
  /** N, to report errors in file order. */
  position: number;
  values: Partial<Record<ImportField, unknown>>;
}

export interface RowError {
  where: string;
  position: number;
  message: string;
}

export interface ReadRows {
  rows: ImportRow[];
  errors: RowError[];
}

function isImportField(name: string): name is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(name);
}

function readJson(text: string): ReadRows {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(`not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new CliError('a JSON import file holds an array of user objects');
  const result: ReadRows = { rows: [], errors: [] };
  data.forEach((item: unknown, index) => {
    const position = index + 1;
    const where = `entry ${position}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      result.errors.push({ where, position, message: 'not an object' });
      return;
    }
    const unknown = Object.keys(item).find((key) => !isImportField(key));
    if (unknown !== undefined) {
      result.errors.push({ where, position, message: `unknown field "${unknown}" (expected ${IMPORT_FIELDS.join(', ')})` });
      return;
    }
    result.rows.push({ where, position, values: item });
  });
  return result;
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** The line a record starts on: csv-parse counts to its last line; a quoted field may span several. */
function startLine(record: CsvRecord): number {
  const body = record.raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '');
  return record.info.lines - (body.match(/\n/g)?.length ?? 0);
}

function header(record: CsvRecord): ImportField[] {
  const names = record.record.map((name) => name.trim().toLowerCase());
  const columns = `expected columns ${IMPORT_FIELDS.join(', ')}`;
  for (const [i, name] of names.entries()) {
    if (!isImportField(name)) throw new CliError(`line ${startLine(record)}: unknown column "${name}" (${columns})`);
    if (names.indexOf(name) !== i) throw new CliError(`line ${startLine(record)}: column "${name}" appears twice`);
  }
  if (!names.includes('username') || !names.includes('password_hash')) {
    throw new CliError(`line ${startLine(record)}: the header must name at least username and password_hash (${columns})`);
  }
  return names as ImportField[];
}

/** csv-parse's message for a record it skipped, without the line it appends (we lead with it). */
function csvMessage(error: CsvError | undefined): string {
  if (!error) return 'unreadable record';
  const length = /Invalid Record Length: expect (\d+), got (\d+)/.exec(error.message);
  if (length) return `expected ${length[1]} fields like the header, got ${length[2]}`;
  return error.message.replace(/ (?:on|at) line \d+$/, '');
}

function readCsv(text: string): ReadRows {
  const errors: RowError[] = [];
  let records: CsvRecord[];
  try {
    // CRLF to LF first: csv-parse counts a CRLF inside a quoted field as two lines, which would
    // shift every later line number (a field keeps its line break, as LF).
    records = parse(text.replace(/\r\n/g, '\n'), {
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        const line = typeof error?.lines === 'number' ? error.lines : 0;
        errors.push({ where: `line ${line}`, position: line, message: csvMessage(error) });
        return undefined;
      },
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new CliError(`not valid CSV: ${(error as Error).message}`);
  }
  const [first, ...rest] = records;
  if (!first) throw new CliError('the CSV file is empty: it needs a header line and one line per user');
  const columns = header(first);
  const rows = rest.map((record): ImportRow => {
    const values: ImportRow['values'] = {};
    columns.forEach((column, i) => {
      values[column] = record.record[i];
    });
    const line = startLine(record);
    return { where: `line ${line}`, position: line, values };
  });
  return { rows, errors };
}

/** The format named by --format, else the one the file name ends with. */
export function importFormat(file: string, explicit: string | undefined): ImportFormat {
  const format = explicit ?? /\.(json|csv)$/i.exec(file)?.[1]?.toLowerCase();
  if (format === 'json' || format === 'csv') return format;
  if (explicit !== undefined) throw new CliError(`--format must be json or csv (got "${explicit}")`);
  throw new CliError(`cannot tell the format of ${file}: name it .json or .csv, or give --format json|csv`);
}

export function readImportRows(text: string, format: ImportFormat): ReadRows {
  return format === 'json' ? readJson(text) : readCsv(text);
}

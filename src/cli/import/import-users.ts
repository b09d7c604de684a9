/**
 * Turns import rows into users that keep their foreign password hash. The CLI reads each row
 * (types, and a hash in a format the hasher verifies: `infra/hashing/hash-formats.ts`); the core
 * makes the users with registration's own rules and writes them (`core.userImport`). The first
 * successful login rehashes each hash to argon2id.
 */
import { AuthError } from '../../core/errors.js';
import type { Core } from '../../core/tessera.js';
import type { ImportedUser } from '../../core/users/user-import.service.js';
import { hashScheme } from '../../infra/hashing/hash-formats.js';
import { CLI_CONTEXT, CliError } from '../cli-context.js';
import type { ImportRow, RowError } from './read-rows.js';

export interface ImportOutcome {
  imported: number;
  errors: RowError[];
}

function text(row: ImportRow, field: 'username' | 'email' | 'name' | 'password_hash'): string | undefined {
  const value = row.values[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CliError(`${field} must be a string`);
  return value.trim() === '' ? undefined : value;
}

/** Roles: a JSON array of strings, or one string separated by `;` (the CSV form). */
function roles(row: ImportRow): string[] {
  const value = row.values.roles;
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(';') : value;
  if (!Array.isArray(list) || list.some((r) => typeof r !== 'string')) throw new CliError('roles must be a list of strings');
  return (list as string[]).map((r) => r.trim()).filter((r) => r !== '');
}

function entry(row: ImportRow): ImportedUser {
  const username = text(row, 'username');
  if (username === undefined) throw new CliError('username is missing');
  const passwordHash = text(row, 'password_hash')?.trim();
  if (passwordHash === undefined) throw new CliError('password_hash is missing');
  const scheme = hashScheme(passwordHash);
  if (scheme === undefined) throw new CliError('password_hash is not in a recognised format (bcrypt, argon2, scrypt, pbkdf2-sha256)');
  return { username, email: text(row, 'email'), name: text(row, 'name'), roles: roles(row), passwordHash, hashScheme: scheme };
}

function rowError(row: ImportRow, message: string): RowError {
  return { where: row.where, position: row.position, message };
}

/**
 * Imports what it can, reporting every row it skips. With `strict`, any bad row (or a name
 * already taken) imports nothing: all rows are written in one transaction.
 */
export async function importUsers(core: Core, rows: ImportRow[], readErrors: RowError[], strict: boolean): Promise<ImportOutcome> {
  const errors = [...readErrors];
  const read: { row: ImportRow; entry: ImportedUser }[] = [];
  for (const row of rows) {
    try {
      read.push({ row, entry: entry(row) });
    } catch (error) {
      if (!(error instanceof CliError || error instanceof AuthError)) throw error;
      errors.push(rowError(row, error.message));
    }
  }
  const entries = read.map((r) => r.entry);
  const rowOf = (index: number): ImportRow => read[index]!.row;
  if (strict && errors.length > 0) {
    // report every bad row at once, the ones only the core's rules refuse included
    for (const f of core.userImport.check(entries)) errors.push(rowError(rowOf(f.index), f.error.message));
    return { imported: 0, errors: sorted(errors) };
  }
  const outcome = await core.userImport.importUsers(entries, { atomic: strict }, CLI_CONTEXT);
  for (const f of outcome.failures) errors.push(rowError(rowOf(f.index), f.error.message));
  return { imported: outcome.imported, errors: sorted(errors) };
}

function sorted(errors: RowError[]): RowError[] {
  return [...errors].sort((a, b) => a.position - b.position);
}

/**
 * Turns import rows into users that keep their foreign password hash. Each row is checked with
 * the core's own username and email rules and must carry a hash in a format the hasher verifies
 * (`infra/hashing/hash-formats.ts`); the first successful login rehashes it to argon2id.
 */
import { AuthError } from '../../core/errors.js';
import { newId } from '../../core/secrets.js';
import type { Core } from '../../core/tessera.js';
import { checkRoles } from '../../core/users/roles.js';
import { EXTERNAL_USERNAME_PREFIX, isReservedUsername, looksLikeEmail, normalizeEmail, normalizeUsername } from '../../core/users/username.js';
import type { User } from '../../core/users/user.types.js';
import { hashScheme, type HashScheme } from '../../infra/hashing/hash-formats.js';
import { CLI_CONTEXT, CliError } from '../cli-context.js';
import type { ImportRow, RowError } from './read-rows.js';


export interface ImportOutcome {
  imported: number;
  errors: RowError[];
}

interface Candidate {
  row: ImportRow;
  user: User;
  scheme: HashScheme;
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
  return checkRoles((list as string[]).map((r) => r.trim()).filter((r) => r !== ''));
}

function candidate(core: Core, row: ImportRow, now: number): Candidate {
  const rawUsername = text(row, 'username');
  if (rawUsername === undefined) throw new CliError('username is missing');
  const username = normalizeUsername(rawUsername);
  if (isReservedUsername(username.key)) throw new CliError(`usernames starting with "${EXTERNAL_USERNAME_PREFIX}" are reserved`);
  const rawEmail = text(row, 'email');
  const email =
    rawEmail !== undefined ? normalizeEmail(rawEmail) : looksLikeEmail(username.display) ? normalizeEmail(username.display, 'username') : null;
  const passwordHash = text(row, 'password_hash')?.trim();
  if (passwordHash === undefined) throw new CliError('password_hash is missing');
  const scheme = hashScheme(passwordHash);
  if (scheme === undefined) throw new CliError('password_hash is not in a recognised format (bcrypt, argon2, scrypt, pbkdf2-sha256)');
  const user: User = {
    id: newId(),
    username: username.display,
    usernameKey: username.key,
    email,
    name: text(row, 'name')?.normalize('NFKC').trim() ?? null,
    locale: null,
    passwordHash,
    passwordChangedAt: now,
    passwordExpiresAt: core.credentials.passwordExpiry(now),
    roles: roles(row),
    emailVerified: false,
    termsAccepted: false,
    locked: false,
    createdAt: now,
    updatedAt: now,
  };
  return { row, user, scheme };
}

/** An error a row can cause and the import survives: a rule of ours, or a taken username/email. */
function rowMessage(error: unknown): string | undefined {
  if (error instanceof CliError || error instanceof AuthError) return error.message;
  return undefined;
}

function audit(core: Core, { user, scheme }: Candidate): Promise<void> {
  return core.audit.record('admin.user_created', { userId: user.id, context: CLI_CONTEXT, detail: { roles: user.roles, imported: true, hashScheme: scheme } });
}

/**
 * Imports what it can, reporting every row it skips. With `strict`, any bad row (or a name
 * already taken) imports nothing: all rows are written in one transaction.
 */
export async function importUsers(core: Core, rows: ImportRow[], readErrors: RowError[], strict: boolean): Promise<ImportOutcome> {
  const errors = [...readErrors];
  const candidates: Candidate[] = [];
  const now = core.clock.now();
  for (const row of rows) {
    try {
      candidates.push(candidate(core, row, now));
    } catch (error) {
      const message = rowMessage(error);
      if (message === undefined) throw error;
      errors.push({ where: row.where, position: row.position, message });
    }
  }
  if (strict) {
    if (errors.length > 0) return { imported: 0, errors: sorted(errors) };
    let failing: Candidate | undefined;
    try {
      await core.store.transaction(async (tx) => {
        for (const c of candidates) {
          failing = c;
          await tx.users.insert(c.user);
        }
      });
    } catch (error) {
      const message = rowMessage(error);
      if (message === undefined || !failing) throw error;
      return { imported: 0, errors: [{ where: failing.row.where, position: failing.row.position, message }] };
    }
    for (const c of candidates) await audit(core, c);
    return { imported: candidates.length, errors: [] };
  }
  let imported = 0;
  for (const c of candidates) {
    try {
      await core.store.users.insert(c.user);
    } catch (error) {
      const message = rowMessage(error);
      if (message === undefined) throw error;
      errors.push({ where: c.row.where, position: c.row.position, message });
      continue;
    }
    await audit(core, c);
    imported += 1;
  }
  return { imported, errors: sorted(errors) };
}

function sorted(errors: RowError[]): RowError[] {
  return [...errors].sort((a, b) => a.position - b.position);
}

/**
 * Recognises a unique-constraint failure from either backend and says which index it hit:
 * SQLite names the columns in its message, PostgreSQL names the constraint (our index name).
 */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; message?: unknown; constraint?: unknown };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return typeof e.message === 'string' ? e.message : 'unique';
  }
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : 'unique';
  return undefined;
}

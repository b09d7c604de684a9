import { createHash } from 'node:crypto';

/**
 * The SQL texts that PostgreSQL should keep as named prepared statements: the hot queries that
 * CompiledOnce compiles (a fixed, small set, so the statements each connection keeps stay few).
 * A named statement is parsed and planned once per connection instead of on every execution.
 * The name follows from the text, so every database and connection agrees on it.
 */
const names = new Map<string, string>();

export function preparedStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `tessera_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
}

/** The statement name of `sql`, if it is one of the prepared ones. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}

/**
 * A new name for `sql`, after PostgreSQL refused its prepared plan ("cached plan must not change
 * result type": another instance's migration changed a table it reads). Each connection prepares
 * the new name on its next use; the old one is never used again.
 */
export function renamePrepared(sql: string): string | undefined {
  const name = names.get(sql);
  if (name === undefined) return undefined;
  const [base, generation] = name.split('_g');
  const renamed = `${base}_g${Number(generation ?? 0) + 1}`;
  names.set(sql, renamed);
  return renamed;
}

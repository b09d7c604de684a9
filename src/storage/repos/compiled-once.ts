import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * A hot query compiled to SQL once instead of on every call: Kysely builds and compiles every
 * query it runs, which for a join with a dozen aliased columns costs more than the database's
 * own work (a joined bearer read measured x0.76 against two simple queries until compiled once).
 * `build` is called once with marker values; each call then only binds the parameters in the
 * order the compiled SQL wants them. The SQLite driver keeps the prepared statement by this SQL.
 */
export class CompiledOnce<Params extends string[], Row> {
  private template: { sql: string; order: number[] } | undefined;

  constructor(private readonly build: (db: Kysely<Database>, ...params: Params) => Compilable<Row>) {}

  async first(db: Kysely<Database>, ...params: Params): Promise<Row | undefined> {
    this.template ??= this.compile(db, params.length);
    const values = this.template.order.map((index) => params[index]);
    const { rows } = await db.executeQuery<Row>(CompiledQuery.raw(this.template.sql, values));
    return rows[0];
  }

  private compile(db: Kysely<Database>, count: number): { sql: string; order: number[] } {
    const markers = Array.from({ length: count }, (_, i) => `\u0000compiled-once-parameter-${i}\u0000`) as Params;
    const compiled = this.build(db, ...markers).compile();
    const order = compiled.parameters.map((value) => markers.indexOf(value as string));
    if (order.some((index) => index < 0)) throw new Error('a compiled-once query holds a parameter that is not one of its own');
    return { sql: compiled.sql, order };
  }
}

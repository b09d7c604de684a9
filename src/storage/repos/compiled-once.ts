import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import { preparedStatement } from '../prepared-statements.js';
import type { Database } from '../schema.js';

interface Template {
  sql: string;
  order: number[];
}

/**
 * The SQL each CompiledOnce query compiled to on one database (its dialect): one per store,
 * shared by the store's repositories and by those of every transaction on it, which are made
 * anew for each transaction.
 */
export class CompiledTemplates {
  private readonly templates = new Map<object, Template>();

  /** The template of `query`, compiled by `compile` the first time it is asked for. */
  of(query: object, compile: () => Template): Template {
    let template = this.templates.get(query);
    if (!template) {
      template = compile();
      this.templates.set(query, template);
    }
    return template;
  }
}

/**
 * A hot query compiled to SQL once instead of on every call: Kysely builds and compiles every
 * query it runs, which for a join with a dozen aliased columns costs more than the database's
 * own work (a joined bearer read measured x0.76 against two simple queries until compiled once).
 * `build` is called once per database with marker values in place of the parameters; each call
 * then only binds its values in the order the compiled SQL wants them. The SQLite driver keeps
 * the prepared statement by this SQL; on PostgreSQL it is a named prepared statement.
 *
 * So `build` must not look at its parameters: a builder that says `is null` for a null value and
 * `= ?` otherwise would be compiled for the marker only. Every value goes where a value goes.
 */
export class CompiledOnce<Params extends readonly unknown[], Row = never> {
  constructor(private readonly build: (db: Kysely<Database>, ...params: Params) => Compilable<Row>) {}

  async rows(db: Kysely<Database>, templates: CompiledTemplates, ...params: Params): Promise<Row[]> {
    return (await this.execute(db, templates, params)).rows;
  }

  async first(db: Kysely<Database>, templates: CompiledTemplates, ...params: Params): Promise<Row | undefined> {
    return (await this.execute(db, templates, params)).rows[0];
  }

  /** Rows inserted, updated or deleted. */
  async affected(db: Kysely<Database>, templates: CompiledTemplates, ...params: Params): Promise<number> {
    return Number((await this.execute(db, templates, params)).numAffectedRows ?? 0n);
  }

  private execute(db: Kysely<Database>, templates: CompiledTemplates, params: Params): Promise<QueryResult<Row>> {
    const template = templates.of(this, () => this.compile(db, params.length));
    const values = template.order.map((index) => params[index]);
    return db.executeQuery<Row>(CompiledQuery.raw(template.sql, values));
  }

  private compile(db: Kysely<Database>, count: number): Template {
    const markers = Array.from({ length: count }, (_, i) => `\u0000compiled-once-parameter-${i}\u0000`);
    const compiled = this.build(db, ...(markers as unknown as Params)).compile();
    const order = compiled.parameters.map((value) => markers.indexOf(value as string));
    if (order.some((index) => index < 0)) throw new Error('a compiled-once query holds a parameter that is not one of its own');
    preparedStatement(compiled.sql);
    return { sql: compiled.sql, order };
  }
}

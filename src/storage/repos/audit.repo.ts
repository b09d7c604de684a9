import type { Kysely } from 'kysely';
import type { AuditRepo } from '../../core/audit/audit.repo.js';
import type { AuditEvent, AuditEventType } from '../../core/audit/audit.types.js';
import type { Database } from '../schema.js';
import { CompiledOnce, type CompiledTemplates } from './compiled-once.js';
import { jsonObject, num } from './row-mapping.js';

/** An event's insert, on every audited request: compiled once per database (see compiled-once.ts). */
const insertEvent = new CompiledOnce(
  (db: Kysely<Database>, ...v: [string, number, string, string | null, string, string | null, string | null, string]) =>
    db.insertInto('audit_events').values({
      id: v[0],
      at: v[1],
      type: v[2],
      user_id: v[3],
      outcome: v[4],
      ip: v[5],
      request_id: v[6],
      detail: v[7],
    }),
);

export class KyselyAuditRepo implements AuditRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templates: CompiledTemplates,
  ) {}

  async insert(e: AuditEvent): Promise<void> {
    await insertEvent.affected(this.db, this.templates, e.id, e.at, e.type, e.userId, e.outcome, e.ip, e.requestId, JSON.stringify(e.detail));
  }

  async list(filter: { userId?: string; limit: number }): Promise<AuditEvent[]> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: num(r.at),
      type: r.type as AuditEventType,
      userId: r.user_id,
      outcome: r.outcome === 'failure' ? 'failure' : 'success',
      ip: r.ip,
      requestId: r.request_id,
      detail: jsonObject(r.detail),
    }));
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

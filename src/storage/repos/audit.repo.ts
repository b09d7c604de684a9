import type { Kysely } from 'kysely';
import type { AuditRepo } from '../../core/audit/audit.repo.js';
import type { AuditEvent, AuditEventType } from '../../core/audit/audit.types.js';
import type { Database } from '../schema.js';
import { jsonObject, num } from './row-mapping.js';

export class KyselyAuditRepo implements AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(e: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        id: e.id,
        at: e.at,
        type: e.type,
        user_id: e.userId,
        outcome: e.outcome,
        ip: e.ip,
        request_id: e.requestId,
        detail: JSON.stringify(e.detail),
      })
      .execute();
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

import { sql, type Kysely } from 'kysely';
import type { PasswordHistoryRepo } from '../../core/credentials/password-history.repo.js';
import type { Database } from '../schema.js';

export class KyselyPasswordHistoryRepo implements PasswordHistoryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async recent(userId: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.db
      .selectFrom('password_history')
      .select('password_hash')
      .where('user_id', '=', userId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.password_hash);
  }

  async record(userId: string, passwordHash: string, now: number, keep: number): Promise<void> {
    const row = await this.db
      .selectFrom('password_history')
      .select(sql<number | string | null>`max(seq)`.as('top'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    let top = Number(row?.top ?? 0);
    if (keep > 0) {
      top += 1;
      await this.db.insertInto('password_history').values({ user_id: userId, seq: top, password_hash: passwordHash, created_at: now }).execute();
    }
    await this.db.deleteFrom('password_history').where('user_id', '=', userId).where('seq', '<=', top - keep).execute();
  }
}

import type { Kysely } from 'kysely';
import type { RecoveryRepo } from '../../core/recovery/recovery.repo.js';
import type { CodePurpose, OneTimeCode } from '../../core/recovery/recovery.types.js';
import type { Database } from '../schema.js';
import { num, numOrNull } from './row-mapping.js';

export class KyselyRecoveryRepo implements RecoveryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(code: OneTimeCode): Promise<void> {
    await this.db
      .insertInto('one_time_codes')
      .values({
        id: code.id,
        user_id: code.userId,
        purpose: code.purpose,
        code_hash: code.codeHash,
        created_at: code.createdAt,
        expires_at: code.expiresAt,
        used_at: code.usedAt,
      })
      .execute();
  }

  async find(codeHash: string, purpose: CodePurpose): Promise<OneTimeCode | undefined> {
    const r = await this.db
      .selectFrom('one_time_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return (
      r && {
        id: r.id,
        userId: r.user_id,
        purpose: r.purpose as CodePurpose,
        codeHash: r.code_hash,
        createdAt: num(r.created_at),
        expiresAt: num(r.expires_at),
        usedAt: numOrNull(r.used_at),
      }
    );
  }

  async consume(codeHash: string, purpose: CodePurpose, now: number): Promise<string | undefined> {
    const row = await this.db
      .updateTable('one_time_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    return row?.user_id;
  }

  async invalidate(userId: string, purpose: CodePurpose, now: number): Promise<number> {
    const result = await this.db
      .updateTable('one_time_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

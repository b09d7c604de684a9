import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRepo } from '../../core/api-keys/api-key.repo.js';
import type { ApiKeyRecord } from '../../core/api-keys/api-key.types.js';
import type { ApiKeysTable, Database } from '../schema.js';
import { num, numOrNull } from './row-mapping.js';

export class KyselyApiKeyRepo implements ApiKeyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(k: ApiKeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: k.id,
        user_id: k.userId,
        name: k.name,
        key_hash: k.keyHash,
        prefix: k.prefix,
        last_four: k.lastFour,
        encrypted_key: k.encryptedKey,
        created_at: k.createdAt,
        last_used_at: k.lastUsedAt,
      })
      .execute();
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return row && toRecord(row);
  }

  async listByUser(userId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async deleteForUser(keyHash: string, userId: string): Promise<string | undefined> {
    const row = await this.db
      .deleteFrom('api_keys')
      .where('key_hash', '=', keyHash)
      .where('user_id', '=', userId)
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  async deleteAllForUser(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('api_keys').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}

function toRecord(r: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    keyHash: r.key_hash,
    prefix: r.prefix,
    lastFour: r.last_four,
    encryptedKey: r.encrypted_key,
    createdAt: num(r.created_at),
    lastUsedAt: numOrNull(r.last_used_at),
  };
}

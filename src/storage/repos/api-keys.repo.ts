import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRepo, KeyWithOwner } from '../../core/api-keys/api-key.repo.js';
import type { ApiKeyRecord } from '../../core/api-keys/api-key.types.js';
import type { ApiKeysTable, Database, UsersTable } from '../schema.js';
import { JOINED_MEMBERSHIP_COLUMNS, joinedMemberships } from './accounts.repo.js';
import { CompiledOnce, type CompiledTemplates } from './compiled-once.js';
import { num, numOrNull } from './row-mapping.js';
import { toUser } from './users.repo.js';

/**
 * An API key with its owner and the owner's memberships, in one read: a row per membership (one
 * with null membership columns when there is none), each carrying the key and the user.
 */
const keyWithOwnerQuery = (db: Kysely<Database>, keyHash: string) =>
  db
    .selectFrom('api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.user_id')
    .leftJoin('account_members as m', 'm.user_id', 'k.user_id')
    .selectAll('u')
    .select([
      ...JOINED_MEMBERSHIP_COLUMNS,
      'k.id as k_id',
      'k.user_id as k_user_id',
      'k.name as k_name',
      'k.prefix as k_prefix',
      'k.last_four as k_last_four',
      'k.encrypted_key as k_encrypted_key',
      'k.created_at as k_created_at',
      'k.last_used_at as k_last_used_at',
    ])
    .where('k.key_hash', '=', keyHash)
    .orderBy('m.account_id');

/** Compiled once per database (see compiled-once.ts). */
const keyWithOwner = new CompiledOnce(keyWithOwnerQuery);

export class KyselyApiKeyRepo implements ApiKeyRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templates: CompiledTemplates,
  ) {}

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

  async findByHashWithOwner(keyHash: string): Promise<KeyWithOwner | undefined> {
    const rows = await keyWithOwner.rows(this.db, this.templates, keyHash);
    const row = rows[0];
    if (!row) return undefined;
    const key = toRecord({
      id: row.k_id,
      user_id: row.k_user_id,
      name: row.k_name,
      key_hash: keyHash,
      prefix: row.k_prefix,
      last_four: row.k_last_four,
      encrypted_key: row.k_encrypted_key,
      created_at: row.k_created_at,
      last_used_at: row.k_last_used_at,
    });
    // Left joins: the user's columns are null when the user row is gone, a membership's when the
    // user has none.
    return { key, owner: row.id === null ? undefined : toUser(row as Selectable<UsersTable>), memberships: joinedMemberships(rows, key.userId) };
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

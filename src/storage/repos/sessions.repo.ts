import type { Kysely, Selectable } from 'kysely';
import type { SessionRepo } from '../../core/sessions/session.repo.js';
import type { RefreshTokenRecord, Session } from '../../core/sessions/session.types.js';
import type { Database, RefreshTokensTable, SessionsTable } from '../schema.js';
import { num, numOrNull } from './row-mapping.js';

export class KyselySessionRepo implements SessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insertSession(s: Session): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        client: s.client,
        ip: s.ip,
        user_agent: s.userAgent,
        created_at: s.createdAt,
        last_used_at: s.lastUsedAt,
        revoked_at: s.revokedAt,
        revoked_reason: s.revokedReason,
        expires_at: s.expiresAt,
        api_key_id: s.apiKeyId,
      })
      .execute();
  }

  async findSession(id: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSession(row);
  }

  async insertToken(t: RefreshTokenRecord): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        id: t.id,
        session_id: t.sessionId,
        user_id: t.userId,
        token_hash: t.tokenHash,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        used_at: t.usedAt,
      })
      .execute();
  }

  async findTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toToken(row);
  }

  async markTokenUsed(tokenId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('id', '=', tokenId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async touchSession(id: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async revokeSession(id: string, now: number, reason: string): Promise<boolean> {
    return (await this.revokeLive('id', id, now, reason)) === 1;
  }

  revokeAllForUser(userId: string, now: number, reason: string): Promise<number> {
    return this.revokeLive('user_id', userId, now, reason);
  }

  revokeAllForApiKey(apiKeyId: string, now: number, reason: string): Promise<number> {
    return this.revokeLive('api_key_id', apiKeyId, now, reason);
  }

  /** Revokes the live sessions whose `column` is `value`; answers how many it revoked. */
  private async revokeLive(column: 'id' | 'user_id' | 'api_key_id', value: string, now: number, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async listLiveSessions(userId: string, activeSince: number, now: number): Promise<Session[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('last_used_at', '>=', activeSince)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toSession);
  }
}

function toSession(r: Selectable<SessionsTable>): Session {
  return {
    id: r.id,
    userId: r.user_id,
    client: r.client,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: num(r.created_at),
    lastUsedAt: num(r.last_used_at),
    revokedAt: numOrNull(r.revoked_at),
    revokedReason: r.revoked_reason,
    expiresAt: numOrNull(r.expires_at),
    apiKeyId: r.api_key_id,
  };
}

function toToken(r: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    id: r.id,
    sessionId: r.session_id,
    userId: r.user_id,
    tokenHash: r.token_hash,
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    usedAt: numOrNull(r.used_at),
  };
}

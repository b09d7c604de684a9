import type { Kysely, Selectable } from 'kysely';
import type { BearerState, RefreshState, SessionRepo } from '../../core/sessions/session.repo.js';
import type { RefreshTokenRecord, Session } from '../../core/sessions/session.types.js';
import type { Database, RefreshTokensTable, SessionsTable, UsersTable } from '../schema.js';
import { CompiledOnce } from './compiled-once.js';
import { num, numOrNull } from './row-mapping.js';
import { toUser } from './users.repo.js';

/** A session's columns (but its id and user) under an `s_` prefix, for reads that join it to others. */
const SESSION_COLUMNS = [
  's.client as s_client',
  's.ip as s_ip',
  's.user_agent as s_user_agent',
  's.created_at as s_created_at',
  's.last_used_at as s_last_used_at',
  's.revoked_at as s_revoked_at',
  's.revoked_reason as s_revoked_reason',
  's.expires_at as s_expires_at',
  's.api_key_id as s_api_key_id',
] as const;

type PrefixedSession = { [K in Exclude<keyof SessionsTable, 'id' | 'user_id'> as `s_${K}`]: Selectable<SessionsTable>[K] };

function sessionFrom(id: string, userId: string, row: PrefixedSession): Session {
  return toSession({
    id,
    user_id: userId,
    client: row.s_client,
    ip: row.s_ip,
    user_agent: row.s_user_agent,
    created_at: row.s_created_at,
    last_used_at: row.s_last_used_at,
    revoked_at: row.s_revoked_at,
    revoked_reason: row.s_revoked_reason,
    expires_at: row.s_expires_at,
    api_key_id: row.s_api_key_id,
  });
}

/** The bearer check's one read (the session, its user, whether the key is stored). */
const bearerStateQuery = (db: Kysely<Database>, id: string, kid: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select((eb) => [
      ...SESSION_COLUMNS,
      eb.exists(eb.selectFrom('signing_keys').select('kid').where('kid', '=', kid)).as('key_stored'),
    ])
    .where('s.id', '=', id);

export class KyselySessionRepo implements SessionRepo {
  /** Compiled once per repository (so per database, whatever its dialect), not on every request. */
  private readonly bearerState = new CompiledOnce(bearerStateQuery);

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

  async findBearerState(id: string, kid: string): Promise<BearerState | undefined> {
    const row = await this.bearerState.first(this.db, id, kid);
    if (!row) return undefined;
    const session = sessionFrom(id, row.id, row);
    return { session, user: toUser(row), keyStored: Boolean(row.key_stored) };
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

  async findRefreshState(tokenHash: string): Promise<RefreshState | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens as t')
      .innerJoin('sessions as s', 's.id', 't.session_id')
      .leftJoin('users as u', 'u.id', 't.user_id')
      .selectAll('u')
      .select([
        't.id as t_id',
        't.session_id as t_session_id',
        't.user_id as t_user_id',
        't.created_at as t_created_at',
        't.expires_at as t_expires_at',
        't.used_at as t_used_at',
        's.user_id as s_user_id',
        ...SESSION_COLUMNS,
      ])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const token = toToken({
      id: row.t_id,
      session_id: row.t_session_id,
      user_id: row.t_user_id,
      token_hash: tokenHash,
      created_at: row.t_created_at,
      expires_at: row.t_expires_at,
      used_at: row.t_used_at,
    });
    const session = sessionFrom(row.t_session_id, row.s_user_id, row);
    // A left join: the user's columns are null when the user row is gone.
    return { token, session, user: row.id === null ? undefined : toUser(row as Selectable<UsersTable>) };
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

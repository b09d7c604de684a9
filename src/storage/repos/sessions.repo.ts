import type { Kysely, Selectable } from 'kysely';
import type { BearerState, RefreshState, SessionRepo } from '../../core/sessions/session.repo.js';
import type { RefreshTokenRecord, Session } from '../../core/sessions/session.types.js';
import type { Database, RefreshTokensTable, SessionsTable, UsersTable } from '../schema.js';
import { JOINED_MEMBERSHIP_COLUMNS, joinedMemberships } from './accounts.repo.js';
import { CompiledOnce, type CompiledTemplates } from './compiled-once.js';
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

/**
 * The one read of a refresh: the token with its session, its user and the user's memberships
 * (left joins: the user may be gone, and have no memberships): a row per membership.
 */
const refreshStateQuery = (db: Kysely<Database>, tokenHash: string) =>
  db
    .selectFrom('refresh_tokens as t')
    .innerJoin('sessions as s', 's.id', 't.session_id')
    .leftJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('account_members as m', 'm.user_id', 't.user_id')
    .selectAll('u')
    .select([
      ...JOINED_MEMBERSHIP_COLUMNS,
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
    .orderBy('m.account_id');

/**
 * The statements of a login, a refresh and a bearer read, compiled once per database rather
 * than on every request (see compiled-once.ts). Their parameters are the column values in order.
 */
const compiled = {
  bearerState: new CompiledOnce(bearerStateQuery),
  refreshState: new CompiledOnce(refreshStateQuery),
  insertSession: new CompiledOnce(
    (db: Kysely<Database>, ...v: [string, string, string, string | null, string | null, number, number, number | null, string | null, number | null, string | null]) =>
      db.insertInto('sessions').values({
        id: v[0],
        user_id: v[1],
        client: v[2],
        ip: v[3],
        user_agent: v[4],
        created_at: v[5],
        last_used_at: v[6],
        revoked_at: v[7],
        revoked_reason: v[8],
        expires_at: v[9],
        api_key_id: v[10],
      }),
  ),
  insertToken: new CompiledOnce((db: Kysely<Database>, ...v: [string, string, string, string, number, number, number | null]) =>
    db.insertInto('refresh_tokens').values({
      id: v[0],
      session_id: v[1],
      user_id: v[2],
      token_hash: v[3],
      created_at: v[4],
      expires_at: v[5],
      used_at: v[6],
    }),
  ),
  markTokenUsed: new CompiledOnce((db: Kysely<Database>, id: string, now: number) =>
    db.updateTable('refresh_tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null),
  ),
  touchSession: new CompiledOnce((db: Kysely<Database>, id: string, now: number) => db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', id)),
};

export class KyselySessionRepo implements SessionRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templates: CompiledTemplates,
  ) {}

  async insertSession(s: Session): Promise<void> {
    await compiled.insertSession.affected(
      this.db,
      this.templates,
      s.id,
      s.userId,
      s.client,
      s.ip,
      s.userAgent,
      s.createdAt,
      s.lastUsedAt,
      s.revokedAt,
      s.revokedReason,
      s.expiresAt,
      s.apiKeyId,
    );
  }

  async findSession(id: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSession(row);
  }

  async findBearerState(id: string, kid: string): Promise<BearerState | undefined> {
    const row = await compiled.bearerState.first(this.db, this.templates, id, kid);
    if (!row) return undefined;
    const session = sessionFrom(id, row.id, row);
    return { session, user: toUser(row), keyStored: Boolean(row.key_stored) };
  }

  async insertToken(t: RefreshTokenRecord): Promise<void> {
    await compiled.insertToken.affected(this.db, this.templates, t.id, t.sessionId, t.userId, t.tokenHash, t.createdAt, t.expiresAt, t.usedAt);
  }

  async findTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toToken(row);
  }

  async findRefreshState(tokenHash: string): Promise<RefreshState | undefined> {
    const rows = await compiled.refreshState.rows(this.db, this.templates, tokenHash);
    const row = rows[0];
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
    // Left joins: the user's columns are null when the user row is gone, a membership's when the
    // user has none.
    return { token, session, user: row.id === null ? undefined : toUser(row as Selectable<UsersTable>), memberships: joinedMemberships(rows, token.userId) };
  }

  async markTokenUsed(tokenId: string, now: number): Promise<boolean> {
    return (await compiled.markTokenUsed.affected(this.db, this.templates, tokenId, now)) === 1;
  }

  async touchSession(id: string, now: number): Promise<void> {
    await compiled.touchSession.affected(this.db, this.templates, id, now);
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

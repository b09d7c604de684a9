import { accountClaims, claimsOf } from '../accounts/account-claims.js';
import type { AuditFields, AuditService } from '../audit/audit.service.js';
import type { AuditEventType } from '../audit/audit.types.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { Clock, Repositories, Store } from '../ports.js';
import { newId, randomToken, secretHash } from '../secrets.js';
import type { AccessTokenService } from '../tokens/access-token.service.js';
import { FIRST_PARTY_CLIENTS, firstPartyClient } from '../tokens/token-kinds.js';
import type { AccountClaim, IssuedAccessToken, UserTokenOptions } from '../tokens/token.types.js';
import { isActive } from '../users/user-status.js';
import type { User } from '../users/user.types.js';
import { newSession, type SessionOrigin } from './new-session.js';
import { isLive } from './session-status.js';
import type { RefreshTokenRecord, Session } from './session.types.js';

export interface SessionOptions {
  /** Sliding lifetime: a refresh token unused this long dies. */
  refreshTtlSeconds: number;
  /** Absolute lifetime of a refresh family, however often it is rotated (REFRESH_ABSOLUTE_TTL). */
  refreshAbsoluteTtlSeconds: number;
}

export interface TokenPair {
  access: IssuedAccessToken;
  refreshToken: string;
  sessionId: string;
}

export interface AccessGrant {
  access: IssuedAccessToken;
  sessionId: string;
}

export type { SessionOrigin } from './new-session.js';

type RefreshOutcome =
  | { kind: 'ok'; user: User; session: Session; refreshToken: string; accounts: AccountClaim[]; published: () => void }
  | { kind: 'invalid' }
  | { kind: 'expired_password' }
  | { kind: 'reused'; userId: string; sessionId: string };

/** `client` of sessions bought with an API key before sessions recorded the key. */
const LEGACY_API_KEY_CLIENT = 'api_key';

/** 256-bit opaque refresh tokens, stored only as hashes. */
const REFRESH_BYTES = 32;

/**
 * Sessions and their refresh-token families. Every user token belongs to a session (its `sid`),
 * so ending the session ends its tokens on every route at once. Each refresh token is single
 * use: using it marks it used and issues its successor, atomically; presenting a used token again
 * means it leaked (or a client raced itself), so the whole family is revoked (RFC 9700 4.14).
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly tokens: AccessTokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: SessionOptions,
  ) {}

  /** The client a session's tokens name: sessions from before stored the surface name. */
  private static clientOf(session: Session): string {
    return session.client in FIRST_PARTY_CLIENTS ? firstPartyClient(session.client) : session.client;
  }

  private static viaApiKey(session: Session): boolean {
    return session.apiKeyId !== null || session.client === LEGACY_API_KEY_CLIENT;
  }

  private async accessFor(user: User, session: Session, ttlSeconds?: number): Promise<IssuedAccessToken> {
    return this.tokens.issue(user, await accountClaims(this.store.accounts, user.id), this.tokenOptions(session, ttlSeconds));
  }

  private tokenOptions(session: Session, ttlSeconds?: number): UserTokenOptions {
    return { sessionId: session.id, clientId: SessionService.clientOf(session), viaApiKey: SessionService.viaApiKey(session), ttlSeconds };
  }

  private newSession(user: User, context: RequestContext, origin: SessionOrigin, expiresAt: number): Session {
    return newSession(user, context, origin, this.clock.now(), expiresAt);
  }

  /**
   * Starts a refresh family for a fresh login and returns its first token pair. `audited`, the
   * event that says so (a login's `login.succeeded`), is stored in the same transaction as the
   * session, so a login commits once; the tokens exist by then, and nothing is returned or
   * logged unless the transaction commits.
   */
  async start(user: User, context: RequestContext, origin: SessionOrigin, audited?: { type: AuditEventType; fields: AuditFields }): Promise<TokenPair> {
    const now = this.clock.now();
    const session = this.newSession(user, context, origin, now + this.options.refreshAbsoluteTtlSeconds * 1000);
    const refreshToken = randomToken(REFRESH_BYTES);
    const access = await this.accessFor(user, session);
    const published = await this.store.transaction(async (tx) => {
      await tx.sessions.insertSession(session);
      await tx.sessions.insertToken(this.tokenRecord(session, refreshToken, now));
      return audited ? this.audit.recordIn(tx, audited.type, audited.fields) : undefined;
    });
    published?.();
    return { access, refreshToken, sessionId: session.id };
  }

  /** A session without refresh token (seed 001's and seed 003's logins): it ends with its token. */
  async startAccessOnly(user: User, context: RequestContext, origin: SessionOrigin, ttlSeconds?: number): Promise<AccessGrant> {
    // the session's end is the token's, known once the token is signed
    const session = this.newSession(user, context, origin, this.clock.now());
    const access = await this.accessFor(user, session, ttlSeconds);
    await this.store.sessions.insertSession({ ...session, expiresAt: access.expiresAt });
    return { access, sessionId: session.id };
  }

  /** The restricted token of an expired password, in a session of its own that recovery ends. */
  async startRestricted(user: User, context: RequestContext, origin: SessionOrigin): Promise<IssuedAccessToken> {
    const session = this.newSession(user, context, origin, this.clock.now());
    const restricted = await this.tokens.issueRestricted(user, session.id, origin.clientId);
    await this.store.sessions.insertSession({ ...session, expiresAt: restricted.expiresAt });
    return restricted;
  }

  /**
   * Rotates a refresh token: exactly one of any number of concurrent calls with it succeeds. One
   * transaction, one commit: the token with its session, its user and the user's memberships (for
   * the new access token) in one read, the conditional update that marks it used (the race's one
   * winner), the successor, the session's last use and the audit event.
   */
  async refresh(refreshToken: string, context: RequestContext): Promise<TokenPair> {
    const now = this.clock.now();
    const hash = secretHash(refreshToken);
    const outcome = await this.store.transaction(async (tx): Promise<RefreshOutcome> => {
      const found = await tx.sessions.findRefreshState(hash);
      if (!found) return { kind: 'invalid' };
      const { token: record, session, user, memberships } = found;
      if (!isLive(session, now) || record.expiresAt <= now) return { kind: 'invalid' };
      if (!isActive(user)) {
        await tx.sessions.revokeSession(session.id, now, 'user_unavailable');
        return { kind: 'invalid' };
      }
      // An expired password refuses the refresh without using the token, so a retry is not
      // mistaken for reuse; a token that was already used is reuse all the same.
      const passwordExpired = user.passwordExpiresAt !== null && user.passwordExpiresAt <= now;
      if (passwordExpired && record.usedAt === null) return { kind: 'expired_password' };
      if (!(await tx.sessions.markTokenUsed(record.id, now))) {
        await tx.sessions.revokeSession(session.id, now, 'refresh_token_reused');
        return { kind: 'reused', userId: record.userId, sessionId: session.id };
      }
      const next = randomToken(REFRESH_BYTES);
      await tx.sessions.insertToken(this.tokenRecord(session, next, now));
      await tx.sessions.touchSession(session.id, now);
      const accounts = claimsOf(memberships);
      const published = await this.audit.recordIn(tx, 'token.refreshed', { userId: user.id, context, detail: { sessionId: session.id } });
      return { kind: 'ok', user, session, refreshToken: next, accounts, published };
    });
    switch (outcome.kind) {
      case 'invalid':
        throw new AuthError('refresh_token_invalid', 'the refresh token is not valid');
      case 'expired_password':
        throw new AuthError('password_expired', 'the password has expired; log in again to change it');
      case 'reused':
        await this.audit.record('token.reuse_detected', {
          userId: outcome.userId,
          outcome: 'failure',
          context,
          detail: { sessionId: outcome.sessionId },
        });
        throw new AuthError('refresh_token_reused', 'the refresh token was already used; its session is revoked');
      case 'ok':
        outcome.published();
        return {
          access: await this.tokens.issue(outcome.user, outcome.accounts, this.tokenOptions(outcome.session)),
          refreshToken: outcome.refreshToken,
          sessionId: outcome.session.id,
        };
    }
  }

  /** Revokes the family of a refresh token. Unknown tokens are not an error (RFC 7009). */
  async revokeByToken(refreshToken: string, context: RequestContext): Promise<boolean> {
    const record = await this.store.sessions.findTokenByHash(secretHash(refreshToken));
    if (!record) return false;
    const revoked = await this.store.sessions.revokeSession(record.sessionId, this.clock.now(), 'logout');
    if (revoked) await this.audit.record('session.revoked', { userId: record.userId, context, detail: { reason: 'logout' } });
    return revoked;
  }

  /** RFC 7662 view of a refresh token: live (unused, unexpired, family live, user active) or not. */
  async describe(refreshToken: string): Promise<{ active: false } | { active: true; userId: string; sessionId: string; issuedAt: number; expiresAt: number }> {
    const now = this.clock.now();
    const record = await this.store.sessions.findTokenByHash(secretHash(refreshToken));
    if (!record || record.usedAt !== null || record.expiresAt <= now) return { active: false };
    const [session, user] = await Promise.all([this.store.sessions.findSession(record.sessionId), this.store.users.findById(record.userId)]);
    if (!session || !isLive(session, now) || !isActive(user)) return { active: false };
    return { active: true, userId: record.userId, sessionId: session.id, issuedAt: record.createdAt, expiresAt: record.expiresAt };
  }

  /** Revokes one of the user's own sessions; another user's id is `not_found`. */
  async revokeSession(userId: string, sessionId: string, context: RequestContext): Promise<void> {
    const session = await this.store.sessions.findSession(sessionId);
    if (!session || session.userId !== userId || session.revokedAt !== null) {
      throw new AuthError('not_found', 'no such session');
    }
    await this.store.sessions.revokeSession(sessionId, this.clock.now(), 'user');
    await this.audit.record('session.revoked', { userId, context, detail: { reason: 'user', sessionId } });
  }

  /** Ends every session of the user, this one's included (the account page's "sign out everywhere"). */
  async revokeAllOwn(userId: string, context: RequestContext): Promise<number> {
    const count = await this.store.sessions.revokeAllForUser(userId, this.clock.now(), 'user');
    await this.audit.record('session.revoked', { userId, context, detail: { reason: 'user', count } });
    return count;
  }

  /** Ends every session of the user inside `tx` (password replaced, recovery, lock). */
  revokeAll(tx: Repositories, userId: string, reason: string): Promise<number> {
    return tx.sessions.revokeAllForUser(userId, this.clock.now(), reason);
  }

  listSessions(userId: string): Promise<Session[]> {
    const now = this.clock.now();
    return this.store.sessions.listLiveSessions(userId, now - this.options.refreshTtlSeconds * 1000, now);
  }

  /** A refresh token lives the sliding TTL, and never past its family's absolute end. */
  private tokenRecord(session: Session, token: string, now: number): RefreshTokenRecord {
    const sliding = now + this.options.refreshTtlSeconds * 1000;
    return {
      id: newId(),
      sessionId: session.id,
      userId: session.userId,
      tokenHash: secretHash(token),
      createdAt: now,
      expiresAt: session.expiresAt === null ? sliding : Math.min(sliding, session.expiresAt),
      usedAt: null,
    };
  }
}

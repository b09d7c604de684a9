import type { AccountRepo } from '../accounts/account.repo.js';
import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId, randomToken, secretHash } from '../secrets.js';
import type { AccessTokenService, IssueOptions } from '../tokens/access-token.service.js';
import type { AccountClaim, IssuedAccessToken } from '../tokens/token.types.js';
import type { User } from '../users/user.types.js';
import type { RequestContext, Session } from './session.types.js';

export interface SessionOptions {
  refreshTtlSeconds: number;
}

export interface TokenPair {
  access: IssuedAccessToken;
  refreshToken: string;
  sessionId: string;
}

type RefreshOutcome =
  | { kind: 'ok'; user: User; refreshToken: string; sessionId: string; viaApiKey: boolean }
  | { kind: 'invalid' }
  | { kind: 'expired_password' }
  | { kind: 'reused'; userId: string; sessionId: string };

/** `client` of a session started by trading an API key. */
const API_KEY_CLIENT = 'api_key';

/** 256-bit opaque refresh tokens, stored only as hashes. */
const REFRESH_BYTES = 32;

/**
 * Refresh-token families. Each refresh token is single-use: using it marks it used and issues
 * its successor in the same family, atomically. Presenting a used token again means it leaked
 * (or a client raced itself), so the whole family is revoked (RFC 9700 section 4.14).
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly tokens: AccessTokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: SessionOptions,
  ) {}

  /** The `accounts` claim as it stands now: re-issuing a token picks up membership changes. */
  async accountClaims(userId: string, accounts: AccountRepo = this.store.accounts): Promise<AccountClaim[]> {
    const memberships = await accounts.listMemberships(userId);
    return memberships.map((m) => ({ id: m.accountId, role: m.role }));
  }

  async issueAccess(user: User, opts: IssueOptions = {}): Promise<IssuedAccessToken> {
    return this.tokens.issue(user, await this.accountClaims(user.id), opts);
  }

  /**
   * Starts a new family for a fresh login and returns its first token pair. A family bought with
   * an API key is marked so, and every token rotated from it keeps the key's limits.
   */
  async start(user: User, context: RequestContext, opts: { viaApiKey?: boolean } = {}): Promise<TokenPair> {
    const now = this.clock.now();
    const session: Session = {
      id: newId(),
      userId: user.id,
      client: opts.viaApiKey ? API_KEY_CLIENT : (context.surface ?? 'native'),
      ip: context.ip ?? null,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastUsedAt: now,
      revokedAt: null,
      revokedReason: null,
    };
    const refreshToken = randomToken(REFRESH_BYTES);
    await this.store.transaction(async (tx) => {
      await tx.sessions.insertSession(session);
      await tx.sessions.insertToken(this.tokenRecord(session.id, user.id, refreshToken, now));
    });
    return { access: await this.issueAccess(user, { viaApiKey: opts.viaApiKey === true }), refreshToken, sessionId: session.id };
  }

  /** Rotates a refresh token: exactly one of any number of concurrent calls with it succeeds. */
  async refresh(refreshToken: string, context: RequestContext): Promise<TokenPair> {
    const now = this.clock.now();
    const hash = secretHash(refreshToken);
    const outcome = await this.store.transaction(async (tx): Promise<RefreshOutcome> => {
      const record = await tx.sessions.findTokenByHash(hash);
      if (!record) return { kind: 'invalid' };
      const session = await tx.sessions.findSession(record.sessionId);
      if (!session || session.revokedAt !== null || record.expiresAt <= now) return { kind: 'invalid' };
      const user = await tx.users.findById(record.userId);
      if (!user || user.locked) {
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
      await tx.sessions.insertToken(this.tokenRecord(session.id, user.id, next, now));
      await tx.sessions.touchSession(session.id, now);
      return { kind: 'ok', user, refreshToken: next, sessionId: session.id, viaApiKey: session.client === API_KEY_CLIENT };
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
        await this.audit.record('token.refreshed', { userId: outcome.user.id, context, detail: { sessionId: outcome.sessionId } });
        return {
          access: await this.issueAccess(outcome.user, { viaApiKey: outcome.viaApiKey }),
          refreshToken: outcome.refreshToken,
          sessionId: outcome.sessionId,
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

  /** RFC 7662 view of a refresh token: live (unused, unexpired, family not revoked) or not. */
  async describe(refreshToken: string): Promise<{ active: false } | { active: true; userId: string; sessionId: string; issuedAt: number; expiresAt: number }> {
    const record = await this.store.sessions.findTokenByHash(secretHash(refreshToken));
    if (!record || record.usedAt !== null || record.expiresAt <= this.clock.now()) return { active: false };
    const session = await this.store.sessions.findSession(record.sessionId);
    if (!session || session.revokedAt !== null) return { active: false };
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

  listSessions(userId: string): Promise<Session[]> {
    return this.store.sessions.listLiveSessions(userId, this.clock.now() - this.options.refreshTtlSeconds * 1000);
  }

  private tokenRecord(sessionId: string, userId: string, token: string, now: number) {
    return {
      id: newId(),
      sessionId,
      userId,
      tokenHash: secretHash(token),
      createdAt: now,
      expiresAt: now + this.options.refreshTtlSeconds * 1000,
      usedAt: null,
    };
  }
}

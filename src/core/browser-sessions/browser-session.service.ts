import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import type { Clock, Store } from '../ports.js';
import { constantTimeEqual, randomToken, secretHash } from '../secrets.js';
import { newSession } from '../sessions/new-session.js';
import { isLive } from '../sessions/session-status.js';
import { FIRST_PARTY_CLIENTS } from '../tokens/token-kinds.js';
import { isActive } from '../users/user-status.js';
import type { User } from '../users/user.types.js';
import type { BrowserSession, StartedBrowserSession } from './browser-session.types.js';

export interface BrowserSessionOptions {
  /** A browser session unused this long ends (BROWSER_SESSION_IDLE_TTL). */
  idleTtlSeconds: number;
  /** A browser session ends this long after its sign-in, however busy (BROWSER_SESSION_TTL). */
  absoluteTtlSeconds: number;
}

/** 256-bit cookie secrets, stored only as hashes. */
const SECRET_BYTES = 32;
/** `last_used_at` is written at most this often per session, so page views stay read-mostly. */
const TOUCH_INTERVAL_MS = 60_000;
/** The name of the persisted key that signs session cookies (see docs/security.md). */
const COOKIE_KEY_NAME = 'browser_cookie_key';
const COOKIE_FORM = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * Browser sessions: a row in the same `sessions` table as every API login (so revoking it, by the
 * user, an admin, recovery, a lock or a password change, signs the browser out at once on every
 * instance), plus the hash of the cookie's secret. A cookie reads as a session only while the row
 * is live, unused for less than the idle lifetime, younger than the absolute lifetime, and its
 * user active.
 */
export class BrowserSessionService {
  /** The cookie key, read once (it never changes). */
  private key: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: BrowserSessionOptions,
  ) {}

  /** Starts a browser session for a user who has just proven a password. */
  async start(user: User, context: RequestContext, amr: string[] = ['pwd']): Promise<StartedBrowserSession> {
    const now = this.clock.now();
    const secret = randomToken(SECRET_BYTES);
    const session = newSession(user, context, { clientId: FIRST_PARTY_CLIENTS.account }, now, now + this.options.absoluteTtlSeconds * 1000);
    await this.store.transaction(async (tx) => {
      await tx.sessions.insertSession(session);
      await tx.browserSessions.insert({ sessionId: session.id, secretHash: secretHash(secret), authTime: now, amr });
    });
    return {
      session: { sessionId: session.id, user, authTime: Math.floor(now / 1000), amr },
      cookie: `${session.id}.${secret}`,
      expiresAt: session.expiresAt!,
    };
  }

  /**
   * The session a cookie value (already checked for its signature) stands for, or null. An idle
   * session is revoked on the way, so it is gone from every list too. Touches the row.
   */
  async read(cookie: string): Promise<BrowserSession | null> {
    const found = await this.find(cookie);
    if (!found) return null;
    const { session, record, user } = found;
    const now = this.clock.now();
    if (now - session.lastUsedAt >= this.options.idleTtlSeconds * 1000) {
      await this.store.sessions.revokeSession(session.id, now, 'idle');
      return null;
    }
    if (now - session.lastUsedAt >= TOUCH_INTERVAL_MS) await this.store.sessions.touchSession(session.id, now);
    return { sessionId: session.id, user, authTime: Math.floor(record.authTime / 1000), amr: record.amr };
  }

  /** Ends the session a cookie stands for (sign-out); an unknown or dead cookie is no error. */
  async end(cookie: string, context: RequestContext): Promise<void> {
    const found = await this.find(cookie);
    if (!found) return;
    const revoked = await this.store.sessions.revokeSession(found.session.id, this.clock.now(), 'logout');
    if (revoked) await this.audit.record('session.revoked', { userId: found.user.id, context, detail: { reason: 'logout', sessionId: found.session.id } });
  }

  /**
   * The key that signs session cookies: random, made by the first instance and kept in the
   * database, so every instance signs and checks with the same one without configuration.
   */
  cookieKey(): Promise<string> {
    this.key ??= this.store.browserSessions.ensureServerSecret(COOKIE_KEY_NAME, randomToken(32), this.clock.now()).catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async find(cookie: string) {
    const match = COOKIE_FORM.exec(cookie);
    if (!match) return undefined;
    const [, sessionId, secret] = match as unknown as [string, string, string];
    const [record, session] = await Promise.all([this.store.browserSessions.find(sessionId), this.store.sessions.findSession(sessionId)]);
    if (!record || !session || !constantTimeEqual(record.secretHash, secretHash(secret))) return undefined;
    const now = this.clock.now();
    if (!isLive(session, now)) return undefined;
    const user = await this.store.users.findById(session.userId);
    if (!isActive(user)) return undefined;
    return { session, record, user };
  }
}

import type { AuditFields, AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import type { CredentialService } from '../credentials/credential.service.js';
import { AuthError } from '../errors.js';
import type { AccessGrant, SessionOrigin, SessionService, TokenPair } from '../sessions/session.service.js';
import { FIRST_PARTY_CLIENTS } from '../tokens/token-kinds.js';
import type { IssuedAccessToken } from '../tokens/token.types.js';
import type { UserService } from '../users/user.service.js';
import type { User } from '../users/user.types.js';

/** A login that bought a refresh family. */
export interface SessionLogin {
  kind: 'session';
  user: User;
  tokens: TokenPair;
}

/** A login that bought one access token in a session without refresh token (seeds 001, 003). */
export interface AccessTokenLogin {
  kind: 'access_token';
  user: User;
  grant: AccessGrant;
}

/** An expired password: identity proven, but only the restricted password-change token bought. */
export interface RestrictedLogin {
  kind: 'password_expired';
  user: User;
  restricted: IssuedAccessToken;
}

/**
 * Password login, the one every surface calls, in the shapes the surfaces need. An expired
 * password still proves identity but buys only the restricted token: `session` and `accessToken`
 * throw `password_expired` carrying it as `restrictedToken` (the /v1 logins' 403),
 * `sessionOrRestricted` answers it (seed 000's 200 with `passwordExpired: true`), and `sessionOnly`
 * buys nothing (RFC 6749's token endpoint has no way to hand it out).
 *
 * The audit says what was handed out: `login.succeeded` is recorded once the tokens exist (with
 * `restricted: true` for the restricted token), never for a login that answers an error.
 */
export class PasswordLogin {
  constructor(
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly users: Pick<UserService, 'setLocale'>,
  ) {}

  /** A refresh family; `locale`, when given, becomes the user's (seed 002 sends it on login). */
  async session(username: string, password: string, context: RequestContext, origin: SessionOrigin, locale?: string): Promise<SessionLogin> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) throw expired(await this.restricted(user, context, origin));
    const tokens = await this.sessions.start(user, context, origin, succeeded(user, context));
    if (locale !== undefined && locale !== user.locale) await this.users.setLocale(user.id, locale);
    return { kind: 'session', user, tokens };
  }

  async sessionOrRestricted(username: string, password: string, context: RequestContext, origin: SessionOrigin): Promise<SessionLogin | RestrictedLogin> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) return this.restricted(user, context, origin);
    const tokens = await this.sessions.start(user, context, origin, succeeded(user, context));
    return { kind: 'session', user, tokens };
  }

  /**
   * A refresh family, or nothing: an expired password is `password_expired` without a restricted
   * token (none is minted), audited as the failed login it is on the wire.
   */
  async sessionOnly(username: string, password: string, context: RequestContext, origin: SessionOrigin): Promise<SessionLogin> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) {
      await this.audit.record('login.failed', { userId: user.id, outcome: 'failure', context, detail: { reason: 'password_expired' } });
      throw new AuthError('password_expired', 'the password has expired; it must be changed before tokens are issued');
    }
    const tokens = await this.sessions.start(user, context, origin, succeeded(user, context));
    return { kind: 'session', user, tokens };
  }

  /** One access token of `ttlSeconds` (default ACCESS_TOKEN_TTL), no refresh token. */
  async accessToken(username: string, password: string, context: RequestContext, origin: SessionOrigin, ttlSeconds?: number): Promise<AccessTokenLogin> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) throw expired(await this.restricted(user, context, origin));
    const grant = await this.sessions.startAccessOnly(user, context, origin, ttlSeconds);
    await this.succeeded(user, context);
    return { kind: 'access_token', user, grant };
  }

  /**
   * A sign-in through the browser: the same verification and throttle as every other login,
   * then `start` buys the browser's own session. An expired password buys the restricted token
   * instead, which the sign-in page spends on the change form.
   */
  async browser<T>(username: string, password: string, context: RequestContext, start: (user: User) => Promise<T>): Promise<{ kind: 'session'; user: User; started: T } | RestrictedLogin> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) return this.restricted(user, context, { clientId: FIRST_PARTY_CLIENTS.account });
    const started = await start(user);
    await this.succeeded(user, context);
    return { kind: 'session', user, started };
  }

  /** The restricted token of an expired password, audited once it exists. */
  private async restricted(user: User, context: RequestContext, origin: SessionOrigin): Promise<RestrictedLogin> {
    const restricted = await this.sessions.startRestricted(user, context, origin);
    await this.audit.record('login.succeeded', { userId: user.id, context, detail: { restricted: true } });
    return { kind: 'password_expired', user, restricted };
  }

  private succeeded(user: User, context: RequestContext): Promise<void> {
    const { type, fields } = succeeded(user, context);
    return this.audit.record(type, fields);
  }
}

/** The event of a login that bought tokens (stored with the session when it starts one). */
function succeeded(user: User, context: RequestContext): { type: 'login.succeeded'; fields: AuditFields } {
  return { type: 'login.succeeded', fields: { userId: user.id, context } };
}

function expired(result: RestrictedLogin): AuthError {
  return new AuthError('password_expired', 'the password has expired; change it with the restricted token', {
    extra: { restrictedToken: result.restricted.token },
  });
}

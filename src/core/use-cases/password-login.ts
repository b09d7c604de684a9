import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import type { CredentialService } from '../credentials/credential.service.js';
import { AuthError } from '../errors.js';
import type { AccessGrant, SessionOrigin, SessionService, TokenPair } from '../sessions/session.service.js';
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
 * Password login, the one every surface calls, in the three shapes the surfaces need. An expired
 * password still proves identity but buys only the restricted token: `session` and `accessToken`
 * throw `password_expired` carrying it as `restrictedToken` (the /v1 logins' 403), and
 * `sessionOrRestricted` answers it (seed 000's 200 with `passwordExpired: true`).
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
    const result = await this.sessionOrRestricted(username, password, context, origin);
    if (result.kind === 'password_expired') throw expired(result);
    if (locale !== undefined && locale !== result.user.locale) await this.users.setLocale(result.user.id, locale);
    return result;
  }

  async sessionOrRestricted(username: string, password: string, context: RequestContext, origin: SessionOrigin): Promise<SessionLogin | RestrictedLogin> {
    const user = await this.verified(username, password, context, origin);
    if ('restricted' in user) return user;
    return { kind: 'session', user, tokens: await this.sessions.start(user, context, origin) };
  }

  /** One access token of `ttlSeconds` (default ACCESS_TOKEN_TTL), no refresh token. */
  async accessToken(username: string, password: string, context: RequestContext, origin: SessionOrigin, ttlSeconds?: number): Promise<AccessTokenLogin> {
    const user = await this.verified(username, password, context, origin);
    if ('restricted' in user) throw expired(user);
    return { kind: 'access_token', user, grant: await this.sessions.startAccessOnly(user, context, origin, ttlSeconds) };
  }

  private async verified(username: string, password: string, context: RequestContext, origin: SessionOrigin): Promise<User | RestrictedLogin> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) {
      await this.audit.record('login.succeeded', { userId: user.id, context, detail: { restricted: true } });
      return { kind: 'password_expired', user, restricted: await this.sessions.startRestricted(user, context, origin) };
    }
    await this.audit.record('login.succeeded', { userId: user.id, context });
    return user;
  }
}

function expired(result: RestrictedLogin): AuthError {
  return new AuthError('password_expired', 'the password has expired; change it with the restricted token', {
    extra: { restrictedToken: result.restricted.token },
  });
}

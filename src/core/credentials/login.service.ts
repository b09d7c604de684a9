import type { AuditService } from '../audit/audit.service.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import type { RequestContext } from '../context/request-context.js';
import type { IssuedAccessToken } from '../tokens/token.types.js';
import type { User } from '../users/user.types.js';
import type { CredentialService } from './credential.service.js';

export type LoginResult =
  | { kind: 'session'; user: User; tokens: TokenPair }
  | { kind: 'access_only'; user: User; access: IssuedAccessToken }
  | { kind: 'password_expired'; user: User; restricted: IssuedAccessToken };

export interface LoginOptions {
  /** false: no refresh token, only an access token (seed 003's `/token`). */
  withRefresh: boolean;
  /** Overrides the access token lifetime (seed 003: 24 h). */
  accessTtlSeconds?: number;
}

/**
 * The one login every surface calls. An expired password still proves identity but only buys
 * the restricted, password-change-only token; each surface renders that in its own way.
 */
export class LoginService {
  constructor(
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async login(username: string, password: string, context: RequestContext, options: LoginOptions): Promise<LoginResult> {
    const { user, passwordExpired } = await this.credentials.verify(username, password, context);
    if (passwordExpired) {
      await this.audit.record('login.succeeded', { userId: user.id, context, detail: { restricted: true } });
      return { kind: 'password_expired', user, restricted: await this.sessions.issueAccess(user, { restricted: true }) };
    }
    await this.audit.record('login.succeeded', { userId: user.id, context });
    if (!options.withRefresh) {
      const ttl = options.accessTtlSeconds;
      return { kind: 'access_only', user, access: await this.sessions.issueAccess(user, ttl ? { ttlSeconds: ttl } : {}) };
    }
    return { kind: 'session', user, tokens: await this.sessions.start(user, context) };
  }
}

import { looksLikeApiKey, type ApiKeyService } from '../api-keys/api-key.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { IssuerService } from '../issuers/issuer.service.js';
import type { Store } from '../ports.js';
import type { User } from '../users/user.types.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import type { RequestContext } from '../context/request-context.js';

/**
 * Seed 002's `POST /v1/auth/token`: trades a long-lived credential for a session of its owner.
 * Accepts an API key, or a JWT from a trusted external issuer (mapped to its local user).
 */
export class TokenExchangeService {
  constructor(
    private readonly store: Store,
    private readonly apiKeys: ApiKeyService,
    private readonly issuers: IssuerService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async exchange(credential: string, context: RequestContext): Promise<TokenPair> {
    const { user, viaApiKey } = await this.subject(credential, context);
    return this.sessions.start(user, context, { viaApiKey });
  }

  /** The user an API key or trusted external JWT speaks for (RFC 8693's subject_token). */
  async subject(credential: string, context: RequestContext): Promise<{ user: User; viaApiKey: boolean }> {
    let user: User | undefined;
    let via: string;
    try {
      if (looksLikeApiKey(credential)) {
        via = 'api_key';
        const key = await this.apiKeys.resolve(credential);
        user = key ? await this.store.users.findById(key.userId) : undefined;
      } else {
        via = 'trusted_issuer';
        user = await this.issuers.userFor(credential, context);
      }
    } catch (error) {
      await this.audit.record('login.failed', { outcome: 'failure', context, detail: { reason: 'token_exchange_refused' } });
      throw error;
    }
    if (!user) {
      await this.audit.record('login.failed', { outcome: 'failure', context, detail: { reason: 'token_exchange_refused' } });
      throw new AuthError('invalid_credentials', 'the token is not a valid API key or trusted token');
    }
    if (user.locked) throw new AuthError('account_locked', 'the account is locked');
    await this.audit.record('login.succeeded', { userId: user.id, context, detail: { via } });
    return { user, viaApiKey: via === 'api_key' };
  }
}

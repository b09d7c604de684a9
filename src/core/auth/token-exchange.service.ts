import type { ApiKeyService } from '../api-keys/api-key.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Store } from '../ports.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import type { RequestContext } from '../sessions/session.types.js';

/**
 * Seed 002's `POST /v1/auth/token`: trades a long-lived credential for a session of its owner.
 * Accepts an API key; JWTs from trusted external issuers come with the issuers registry.
 */
export class TokenExchangeService {
  constructor(
    private readonly store: Store,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async exchange(credential: string, context: RequestContext): Promise<TokenPair> {
    const key = await this.apiKeys.resolve(credential);
    const user = key ? await this.store.users.findById(key.userId) : undefined;
    if (!key || !user) {
      await this.audit.record('login.failed', { outcome: 'failure', context, detail: { reason: 'token_exchange_refused' } });
      throw new AuthError('invalid_credentials', 'the token is not a valid API key or trusted token');
    }
    if (user.locked) throw new AuthError('account_locked', 'the account is locked');
    await this.audit.record('login.succeeded', { userId: user.id, context, detail: { via: 'api_key', keyId: key.id } });
    return this.sessions.start(user, context);
  }
}

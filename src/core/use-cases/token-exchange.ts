import { looksLikeApiKey, type ApiKeyService } from '../api-keys/api-key.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { IssuerService } from '../issuers/issuer.service.js';
import type { Store } from '../ports.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import { isActive } from '../users/user-status.js';
import type { User } from '../users/user.types.js';

/**
 * Trades a long-lived credential for a session of its owner: seed 002's `POST /v1/auth/token`
 * and RFC 8693 token exchange on /oauth2/token both call `exchange`. Accepts an API key (the
 * session records the key, keeps its limits and ends when the key is deleted) or a JWT from a
 * trusted external issuer (mapped to its local user). A refused credential, a deleted or a locked
 * owner all answer the same `invalid_credentials`.
 */
export class TokenExchange {
  constructor(
    private readonly store: Store,
    private readonly apiKeys: ApiKeyService,
    private readonly issuers: IssuerService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async exchange(credential: string, context: RequestContext, clientId: string): Promise<TokenPair> {
    const { user, apiKeyId } = await this.subject(credential, context);
    const pair = await this.sessions.start(user, context, { clientId, apiKeyId });
    // audited once the tokens exist: a failed start is no successful login
    await this.audit.record('login.succeeded', { userId: user.id, context, detail: { via: apiKeyId ? 'api_key' : 'trusted_issuer' } });
    return pair;
  }

  private async subject(credential: string, context: RequestContext): Promise<{ user: User; apiKeyId: string | undefined }> {
    let user: User | undefined;
    let apiKeyId: string | undefined;
    try {
      if (looksLikeApiKey(credential)) {
        const key = await this.apiKeys.resolve(credential);
        apiKeyId = key?.id;
        user = key ? await this.store.users.findById(key.userId) : undefined;
      } else {
        user = await this.issuers.userFor(credential, context);
      }
    } catch (error) {
      await this.refused(context);
      throw error;
    }
    if (!isActive(user)) {
      await this.refused(context);
      throw new AuthError('invalid_credentials', 'the token is not a valid API key or trusted token');
    }
    return { user, apiKeyId };
  }

  private refused(context: RequestContext): Promise<void> {
    return this.audit.record('login.failed', { outcome: 'failure', context, detail: { reason: 'token_exchange_refused' } });
  }
}

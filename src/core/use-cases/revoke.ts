import { looksLikeApiKey, type ApiKeyService } from '../api-keys/api-key.service.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { RequestContext } from '../context/request-context.js';
import type { SessionService } from '../sessions/session.service.js';

/**
 * `POST /oauth2/revoke` (RFC 7009): possession is the proof. A refresh token ends its family; an
 * access token ends its session (and so every token of that session); an API key is deleted,
 * with every session it bought. Unknown or already dead tokens are not an error.
 */
export class Revoke {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
  ) {}

  async revoke(token: string, context: RequestContext): Promise<void> {
    if (looksLikeApiKey(token)) {
      const key = await this.apiKeys.resolve(token);
      if (key) await this.apiKeys.delete(key.userId, token, context);
      return;
    }
    if (token.split('.').length !== 3) {
      await this.sessions.revokeByToken(token, context);
      return;
    }
    const principal = await this.authenticator.verify(token).catch(() => undefined);
    if (principal?.subject === 'user' && principal.sessionId !== null) {
      await this.sessions.revokeSession(principal.userId, principal.sessionId, context);
    }
  }
}

import { looksLikeApiKey, type ApiKeyService } from '../api-keys/api-key.service.js';
import { claimsOf } from '../accounts/account-claims.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { isLive } from '../sessions/session-status.js';
import type { AccessTokenService } from '../tokens/access-token.service.js';
import type { VerifiedToken } from '../tokens/token.types.js';
import { requireActive } from '../users/user-status.js';
import type { ClientPrincipal, Principal, UserPrincipal } from './principal.js';

/**
 * Turns any presented credential into a principal: one of our JWTs or an API key. Whatever the
 * credential, what it belongs to is read once and checked here, the only place that does: the
 * user is still active, the token's session is still live (logout, session revoke, refresh
 * reuse, recovery and deletion of the API key that bought it end it), the client still exists.
 * Routes and introspection ask this, so a credential ends at once everywhere Tessera checks it.
 */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly tokens: AccessTokenService,
    private readonly apiKeys: ApiKeyService,
    private readonly clock: Clock,
  ) {}

  async verify(credential: string): Promise<Principal> {
    if (looksLikeApiKey(credential)) return this.fromApiKey(credential);
    const token = await this.tokens.verify(credential);
    return token.clientSubject ? this.fromClientToken(token) : this.fromUserToken(token);
  }

  private async fromApiKey(credential: string): Promise<UserPrincipal> {
    const found = await this.apiKeys.resolveWithOwner(credential);
    if (!found) throw new AuthError('invalid_token', 'the API key is not valid');
    const { key } = found;
    const user = requireActive(found.owner);
    return {
      subject: 'user',
      user,
      userId: user.id,
      credential: 'api_key',
      viaApiKey: true,
      roles: user.roles,
      // Read with the key, as they stand now.
      accounts: claimsOf(found.memberships),
      sessionId: null,
      apiKeyId: key.id,
      clientId: 'api_key',
      tokenId: key.id,
      expiresAt: Number.POSITIVE_INFINITY,
    };
  }

  /**
   * One read: the session with its user, and whether the signing key is still stored (the
   * signature may have been checked from the cache, or under a key set loaded before an
   * operator deleted the key: the stored key decides, on every instance at once).
   */
  private async fromUserToken(token: VerifiedToken): Promise<UserPrincipal> {
    const state = token.sessionId === null ? undefined : await this.store.sessions.findBearerState(token.sessionId, token.keyId);
    if (state && !state.keyStored) throw new AuthError('invalid_token', 'the access token is not valid');
    // The session belongs to another user (it cannot, by construction: defence in depth) or
    // none: the subject's own row decides between 401 (gone) and 403 (locked), as before.
    const active = requireActive(state?.user.id === token.subject ? state.user : await this.store.users.findById(token.subject));
    const session = state?.session;
    if (!session || session.userId !== active.id || !isLive(session, this.clock.now())) {
      throw new AuthError('invalid_token', 'the session of this token has ended');
    }
    return {
      subject: 'user',
      user: active,
      userId: active.id,
      credential: token.kind === 'restricted' ? 'restricted' : 'access_token',
      viaApiKey: token.viaApiKey,
      roles: token.roles,
      accounts: token.accounts,
      sessionId: session.id,
      apiKeyId: null,
      clientId: token.clientId,
      tokenId: token.tokenId,
      expiresAt: token.expiresAt,
    };
  }

  private async fromClientToken(token: VerifiedToken): Promise<ClientPrincipal> {
    const client = await this.store.clients.findById(token.subject);
    if (!client) throw new AuthError('invalid_token', 'the client no longer exists');
    return {
      subject: 'client',
      client,
      userId: client.id,
      credential: 'access_token',
      viaApiKey: false,
      roles: token.roles,
      clientId: token.clientId,
      tokenId: token.tokenId,
      expiresAt: token.expiresAt,
    };
  }
}

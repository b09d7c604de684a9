import { looksLikeApiKey, type ApiKeyService } from '../api-keys/api-key.service.js';
import { AuthError } from '../errors.js';
import type { Store } from '../ports.js';
import type { AccessTokenService } from '../tokens/access-token.service.js';
import type { Principal } from '../tokens/token.types.js';

/**
 * Turns any presented credential into a principal: one of our access JWTs, or an API key, which
 * authenticates as its owner with the owner's current roles and accounts. A JWT is checked
 * against the database too (one primary-key read): a deleted or locked user, or a deleted
 * client, loses access at once on every route, not when the token expires.
 */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly tokens: AccessTokenService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async verify(credential: string): Promise<Principal> {
    if (!looksLikeApiKey(credential)) return this.stillCurrent(await this.tokens.verify(credential));
    const key = await this.apiKeys.resolve(credential);
    const user = key ? await this.store.users.findById(key.userId) : undefined;
    if (!key || !user) throw new AuthError('invalid_token', 'the API key is not valid');
    if (user.locked) throw new AuthError('account_locked', 'the account is locked');
    const memberships = await this.store.accounts.listMemberships(user.id);
    return {
      userId: user.id,
      username: user.username,
      roles: user.roles,
      accounts: memberships.map((m) => ({ id: m.accountId, role: m.role })),
      passwordExpired: false,
      via: 'api_key',
      clientId: null,
      tokenId: key.id,
      expiresAt: Number.POSITIVE_INFINITY,
    };
  }

  private async stillCurrent(principal: Principal): Promise<Principal> {
    if (principal.clientId !== null) {
      if (!(await this.store.clients.findById(principal.clientId))) throw new AuthError('invalid_token', 'the client no longer exists');
      return principal;
    }
    const user = await this.store.users.findById(principal.userId);
    if (!user) throw new AuthError('invalid_token', 'the token belongs to no current user');
    if (user.locked) throw new AuthError('account_locked', 'the account is locked');
    return principal;
  }
}

import type { Principal } from '../auth/principal.js';
import { claimsFor, type UserClaims } from '../clients/scopes.js';
import { AuthError } from '../errors.js';
import type { Store } from '../ports.js';

/**
 * `/oauth2/userinfo` (OpenID Connect Core 5.3): the claims of the access token's user that the
 * scopes granted in the code flow release. The token is any surface's access token, checked as
 * everywhere (the authenticator: signature, session live, user active); only a token of a
 * session the code flow started with `openid` has claims to show, others are
 * `insufficient_scope`.
 */
export class UserInfo {
  constructor(private readonly store: Store) {}

  async claims(principal: Principal): Promise<UserClaims> {
    if (principal.credential === 'api_key') throw new AuthError('invalid_token', 'an API key is not an access token');
    if (principal.subject !== 'user' || principal.credential !== 'access_token' || principal.sessionId === null) {
      throw new AuthError('forbidden', 'userinfo needs an access token issued to a person with the openid scope');
    }
    const grant = await this.store.oidcGrants.find(principal.sessionId);
    if (!grant || grant.userId !== principal.userId || !grant.scopes.includes('openid')) {
      throw new AuthError('forbidden', 'the access token was not issued with the openid scope');
    }
    return claimsFor(principal.user, grant.scopes);
  }
}

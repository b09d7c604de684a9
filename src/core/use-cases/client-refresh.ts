import type { OAuthClient } from '../clients/client.types.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { Store } from '../ports.js';
import { secretHash } from '../secrets.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import type { IdTokenService } from '../tokens/id-token.service.js';

/** A rotated pair; a family the code flow started with `openid` also gets a new ID token. */
export interface RefreshedTokens extends TokenPair {
  idToken: string | undefined;
  scope: string | undefined;
}

/**
 * `grant_type=refresh_token` at the OAuth token endpoint, with the refresh token bound to the
 * client it was issued to (RFC 6749 6, RFC 9700 4.14.2): a family a registered client started
 * rotates only for that client: authenticated when it is confidential, named (`client_id`) or
 * authenticated when it is public. Families of Tessera's own surfaces take any caller, as before.
 * The rotation itself, with reuse detection, is the sessions' one for every surface. A family of
 * the code flow with `openid` gets a new ID token (OpenID Connect Core 12.2: the same `sub`,
 * `aud` and `auth_time`, no `nonce`).
 */
export class ClientRefresh {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
    private readonly idTokens: IdTokenService,
  ) {}

  async refresh(refreshToken: string, client: { authenticated: OAuthClient | undefined; clientId: string | undefined }, context: RequestContext): Promise<RefreshedTokens> {
    const record = await this.store.sessions.findTokenByHash(secretHash(refreshToken));
    const session = record && (await this.store.sessions.findSession(record.sessionId));
    const owner = session && session.client.length <= 64 ? await this.store.clients.findById(session.client) : undefined;
    if (owner) {
      const presented = client.authenticated?.id ?? (owner.tokenEndpointAuthMethod === 'none' ? client.clientId : undefined);
      if (presented !== owner.id) {
        throw new AuthError(client.authenticated ? 'refresh_token_invalid' : 'invalid_client', 'the refresh token was issued to another client, or the client did not authenticate');
      }
    }
    const pair = await this.sessions.refresh(refreshToken, context);
    const grant = owner ? await this.store.oidcGrants.find(pair.sessionId) : undefined;
    if (!grant) return { ...pair, idToken: undefined, scope: undefined };
    const idToken = grant.scopes.includes('openid')
      ? await this.idTokens.issue({
          userId: grant.userId,
          clientId: grant.clientId,
          authTime: grant.authTime,
          amr: grant.amr,
          nonce: null,
          browserSessionId: grant.browserSessionId,
          accessToken: pair.access.token,
        })
      : undefined;
    return { ...pair, idToken, scope: grant.scopes.join(' ') };
  }
}

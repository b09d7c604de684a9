import type { AuditService } from '../audit/audit.service.js';
import type { TokenEndpointAuthMethod, OAuthClient } from '../clients/client.types.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { AuthorizationCodeRecord } from '../oidc/oidc.types.js';
import { verifierMatches } from '../oidc/pkce.js';
import type { Clock, Store } from '../ports.js';
import { secretHash } from '../secrets.js';
import type { SessionService } from '../sessions/session.service.js';
import type { IdTokenService } from '../tokens/id-token.service.js';
import type { IssuedAccessToken } from '../tokens/token.types.js';
import { isActive } from '../users/user-status.js';

/** The client as the token request presents it: authenticated (with the method it used), or only named. */
export interface PresentedClient {
  authenticated: OAuthClient | undefined;
  method: TokenEndpointAuthMethod;
  clientId: string | undefined;
}

export interface CodeRedemption {
  code: string | undefined;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  client: PresentedClient;
}

export interface RedeemedCode {
  access: IssuedAccessToken;
  refreshToken: string | undefined;
  idToken: string | undefined;
  scope: string;
  sessionId: string;
}

const refused = (message: string) => new AuthError('invalid_token', message);

/**
 * The token endpoint's `authorization_code` grant (RFC 6749 4.1.3, OpenID Connect Core 3.1.3):
 * the code is bound to its client, its redirect URI and its PKCE challenge, lives a short while
 * and is used once. Exactly one of any number of concurrent redemptions wins; a second
 * presentation of a code revokes the session the first one started (RFC 9700 4.2.1), so what it
 * issued stops working at once. The tokens are every surface's: a session (a rotating refresh
 * family when `offline_access` was granted to a client with the `refresh_token` grant; else one
 * that ends with its access token) and RFC 9068 access tokens, plus an ID token for `openid`.
 */
export class RedeemAuthorizationCode {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
    private readonly idTokens: IdTokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async redeem(input: CodeRedemption, context: RequestContext): Promise<RedeemedCode> {
    const client = await this.clientOf(input.client);
    if (!client.grantTypes.includes('authorization_code')) throw new AuthError('unauthorized_client', 'the client may not use authorization_code');
    if (!input.code) throw new AuthError('invalid_input', 'code is required for this grant type', { field: 'code' });
    const hash = secretHash(input.code);
    const now = this.clock.now();
    const record = await this.store.authorizationCodes.find(hash);
    if (!record) throw refused('the authorization code is not valid');
    if (record.usedAt !== null) {
      await this.reused(record, context);
      throw refused('the authorization code was already used; what it issued is revoked');
    }
    if (record.expiresAt <= now) throw refused('the authorization code has expired');
    if (record.clientId !== client.id) throw refused('the authorization code was issued to another client');
    if (input.redirectUri !== record.redirectUri) throw refused('redirect_uri is not the one of the authorization request');
    if (!verifierMatches(input.codeVerifier, record.codeChallenge)) throw refused('code_verifier does not match the code challenge');
    const user = await this.store.users.findById(record.userId);
    if (!isActive(user)) throw refused('the authorization code is not valid');

    const origin = { clientId: client.id };
    const offline = record.scopes.includes('offline_access') && client.grantTypes.includes('refresh_token');
    const issued: { access: IssuedAccessToken; sessionId: string; refreshToken?: string } = offline
      ? await this.sessions.start(user, context, origin)
      : await this.sessions.startAccessOnly(user, context, origin);
    if (!(await this.store.authorizationCodes.redeem(hash, now, issued.sessionId))) {
      // another redemption won meanwhile: this one's session dies, and so does the winner's
      await this.store.sessions.revokeSession(issued.sessionId, now, 'authorization_code_reused');
      await this.reused(record, context);
      throw refused('the authorization code was already used; what it issued is revoked');
    }
    await this.store.oidcGrants.insert({
      sessionId: issued.sessionId,
      clientId: client.id,
      userId: user.id,
      scopes: record.scopes,
      authTime: record.authTime,
      amr: record.amr,
      browserSessionId: record.browserSessionId,
      createdAt: now,
    });
    const idToken = record.scopes.includes('openid')
      ? await this.idTokens.issue({
          userId: user.id,
          clientId: client.id,
          authTime: record.authTime,
          amr: record.amr,
          nonce: record.nonce,
          browserSessionId: record.browserSessionId,
          accessToken: issued.access.token,
        })
      : undefined;
    await this.audit.record('login.succeeded', { userId: user.id, context, detail: { clientId: client.id, grant: 'authorization_code' } });
    return {
      access: issued.access,
      refreshToken: issued.refreshToken,
      idToken,
      scope: record.scopes.join(' '),
      sessionId: issued.sessionId,
    };
  }

  /** The registered client, authenticated as registered; a public client only names itself. */
  private async clientOf(presented: PresentedClient): Promise<OAuthClient> {
    const { authenticated } = presented;
    if (authenticated) {
      if (authenticated.tokenEndpointAuthMethod !== presented.method) {
        throw new AuthError('invalid_client', `the client is registered for ${authenticated.tokenEndpointAuthMethod}`);
      }
      return authenticated;
    }
    const client = presented.clientId && presented.clientId.length <= 64 ? await this.store.clients.findById(presented.clientId) : undefined;
    if (!client) throw new AuthError('invalid_client', 'client authentication failed');
    if (client.tokenEndpointAuthMethod !== 'none') throw new AuthError('invalid_client', 'the client must authenticate');
    return client;
  }

  private async reused(record: AuthorizationCodeRecord, context: RequestContext): Promise<void> {
    const now = this.clock.now();
    const sessionId = await this.store.authorizationCodes.markReused(record.codeHash, now);
    if (sessionId !== null) await this.store.sessions.revokeSession(sessionId, now, 'authorization_code_reused');
    await this.audit.record('token.reuse_detected', {
      userId: record.userId,
      outcome: 'failure',
      context,
      detail: { clientId: record.clientId, grant: 'authorization_code', ...(sessionId !== null ? { sessionId } : {}) },
    });
  }
}


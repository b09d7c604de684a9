import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Principal } from '../auth/principal.js';
import type { OAuthClient } from '../clients/client.types.js';
import { AuthError } from '../errors.js';
import type { Clock } from '../ports.js';
import { newId } from '../secrets.js';
import type { SigningKeyService } from '../signing-keys/signing-key.service.js';
import type { User } from '../users/user.types.js';
import { ACCESS_TOKEN_TYP, API_KEY_AMR, RESTRICTED_TOKEN_TYP, restrictedAudience } from './token-kinds.js';
import type { AccountClaim, DecodedToken, IssuedAccessToken, UserTokenOptions, VerifiedToken } from './token.types.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  restrictedTtlSeconds: number;
  /** Allowed clock skew when checking exp/nbf/iat. */
  clockToleranceSeconds: number;
}

/** `token_use` tells our own token kinds apart inside the payload as well. */
const ACCESS_USE = 'access';
const RESTRICTED_USE = 'password_change';

type Kind = VerifiedToken['kind'];

/**
 * Signs and verifies Tessera's JWTs: RFC 9068 access tokens (`typ: at+jwt`, audience
 * TOKEN_AUDIENCE) and the restricted password-change token (its own `typ` and audience, no roles
 * or accounts). Verification accepts only our own keys (by `kid`), their algorithms, our issuer,
 * and the audience and `typ` of one kind, so neither kind can stand in for the other.
 */
export class AccessTokenService {
  private readonly restrictedAudience: string;

  constructor(
    private readonly keys: SigningKeyService,
    private readonly clock: Clock,
    private readonly options: AccessTokenOptions,
    private readonly verifiedTokens = new VerifiedTokenCache(),
  ) {
    this.restrictedAudience = restrictedAudience(options.issuer);
  }

  /** An access token of `user` in session `opts.sessionId`, with the accounts as they stand now. */
  issue(user: User, accounts: AccountClaim[], opts: UserTokenOptions): Promise<IssuedAccessToken> {
    const claims: JWTPayload = {
      client_id: opts.clientId,
      sid: opts.sessionId,
      roles: user.roles,
      accounts,
      username: user.username,
      email: user.email,
      email_verified: user.emailVerified,
      locale: user.locale,
      token_use: ACCESS_USE,
    };
    if (opts.viaApiKey) claims.amr = [API_KEY_AMR];
    return this.sign(ACCESS_TOKEN_TYP, user.id, this.options.audience, claims, opts.ttlSeconds ?? this.options.accessTtlSeconds);
  }

  /** The password-change-only token of an expired password: no roles, no accounts. */
  issueRestricted(user: User, sessionId: string, clientId: string): Promise<IssuedAccessToken> {
    const claims: JWTPayload = { client_id: clientId, sid: sessionId, username: user.username, token_use: RESTRICTED_USE };
    return this.sign(RESTRICTED_TOKEN_TYP, user.id, this.restrictedAudience, claims, this.options.restrictedTtlSeconds);
  }

  /** A client_credentials token: the client is the subject (sub = client_id); no user claims. */
  issueForClient(client: OAuthClient): Promise<IssuedAccessToken> {
    const claims: JWTPayload = { client_id: client.id, roles: client.roles, accounts: [], token_use: ACCESS_USE };
    return this.sign(ACCESS_TOKEN_TYP, client.id, this.options.audience, claims, this.options.accessTtlSeconds);
  }

  private async sign(typ: string, subject: string, audience: string, claims: JWTPayload, ttl: number): Promise<IssuedAccessToken> {
    const { kid, alg, privateKey } = await this.keys.current();
    const iat = Math.floor(this.clock.now() / 1000);
    const jti = newId();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg, typ, kid })
      .setIssuer(this.options.issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .setJti(jti)
      .sign(privateKey);
    return { token, jti, expiresAt: (iat + ttl) * 1000, expiresIn: ttl };
  }

  /**
   * Seed 003's tokenInfo: the caller's own token, decoded (the authenticator verified it for this
   * request). An API key is no JWT, so there is nothing to decode: 400.
   */
  async inspect(principal: Principal, token: string): Promise<DecodedToken> {
    if (principal.credential === 'api_key') throw new AuthError('invalid_input', 'tokenInfo describes a JWT; an API key is not one');
    await this.verify(token);
    return { header: { ...decodeProtectedHeader(token) }, payload: { ...decodeJwt(token) } };
  }

  /**
   * Verifies one of our JWTs; any failure is `invalid_token`, never a 500. A token verified
   * before is answered from the cache while it is unexpired and its key is still one of ours
   * (see VerifiedTokenCache: only the signature's verdict is kept, never revocation state).
   */
  async verify(token: string): Promise<VerifiedToken> {
    const hit = this.verifiedTokens.get(token, this.clock.now());
    if (hit) {
      if (await this.keys.knows(hit.kid)) return hit.verified;
      this.verifiedTokens.delete(token);
    }
    const verified = await this.verifyAfresh(token);
    this.verifiedTokens.set(token, verified.token, verified.kid);
    return verified.token;
  }

  private async verifyAfresh(token: string): Promise<{ token: VerifiedToken; kid: string }> {
    const { kind, kid } = this.headerOf(token);
    const payload = await this.verified(token, kind);
    const use = kind === 'access' ? ACCESS_USE : RESTRICTED_USE;
    if (payload.token_use !== use || typeof payload.sub !== 'string' || typeof payload.client_id !== 'string') {
      throw new AuthError('invalid_token', 'the token is not an access token');
    }
    const clientSubject = kind === 'access' && payload.sid === undefined && payload.sub === payload.client_id;
    if (!clientSubject && typeof payload.sid !== 'string') throw new AuthError('invalid_token', 'the token belongs to no session');
    const verified: VerifiedToken = {
      kind,
      subject: payload.sub,
      clientSubject,
      clientId: payload.client_id,
      sessionId: typeof payload.sid === 'string' ? payload.sid : null,
      // Frozen: one cached verdict is shared by every request presenting the token.
      roles: Object.freeze(Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : []) as string[],
      accounts: Object.freeze(Array.isArray(payload.accounts) ? (payload.accounts as AccountClaim[]) : []) as AccountClaim[],
      viaApiKey: Array.isArray(payload.amr) && payload.amr.includes(API_KEY_AMR),
      tokenId: String(payload.jti),
      expiresAt: (payload.exp ?? 0) * 1000,
      // verified() accepted the token only under a key found by its kid, so kid is a string here.
      keyId: String(kid),
    };
    return { token: Object.freeze(verified), kid: verified.keyId };
  }

  private headerOf(token: string): { kind: Kind; kid: unknown } {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthError('invalid_token', 'the access token is not valid');
    }
    if (header.typ === ACCESS_TOKEN_TYP) return { kind: 'access', kid: header.kid };
    if (header.typ === RESTRICTED_TOKEN_TYP) return { kind: 'restricted', kid: header.kid };
    throw new AuthError('invalid_token', 'the token is not an access token');
  }

  private async verified(token: string, kind: Kind): Promise<JWTPayload> {
    try {
      const algorithms = await this.keys.algorithms();
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const found = typeof header.kid === 'string' ? await this.keys.verificationKey(header.kid) : undefined;
          if (!found || found.alg !== header.alg) throw new joseErrors.JWKSNoMatchingKey();
          return found.key;
        },
        {
          algorithms,
          issuer: this.options.issuer,
          audience: kind === 'access' ? this.options.audience : this.restrictedAudience,
          clockTolerance: this.options.clockToleranceSeconds,
          currentDate: new Date(this.clock.now()),
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          typ: kind === 'access' ? ACCESS_TOKEN_TYP : RESTRICTED_TOKEN_TYP,
        },
      );
      return payload;
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      throw new AuthError('invalid_token', expired ? 'the access token has expired' : 'the access token is not valid');
    }
  }
}

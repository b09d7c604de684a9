import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AuthError } from '../errors.js';
import type { Clock } from '../ports.js';
import { newId } from '../secrets.js';
import type { SigningKeyService } from '../signing-keys/signing-key.service.js';
import type { OAuthClient } from '../clients/client.types.js';
import type { User } from '../users/user.types.js';
import type { AccountClaim, DecodedToken, IssuedAccessToken, Principal } from './token.types.js';

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  restrictedTtlSeconds: number;
  /** Allowed clock skew when checking exp/nbf/iat. */
  clockToleranceSeconds: number;
}

/** `token_use` tells our own token kinds apart, so one can never stand in for another. */
const ACCESS_USE = 'access';
/**
 * `amr` of a token bought with an API key (seed 002's /v1/auth/token): it keeps the key's limits
 * (no key management, no password change, no admin API) through every refresh.
 */
const API_KEY_AMR = 'api_key';

export interface IssueOptions {
  ttlSeconds?: number;
  restricted?: boolean;
  viaApiKey?: boolean;
}

/**
 * Signs and verifies Tessera's access JWTs. Verification accepts only our own keys (looked up by
 * `kid` among them), only their algorithms, our issuer and audience, and `token_use: access`.
 */
export class AccessTokenService {
  constructor(
    private readonly keys: SigningKeyService,
    private readonly clock: Clock,
    private readonly options: AccessTokenOptions,
  ) {}

  /** A normal access token, or with `restricted` the password-change-only token of an expired password. */
  async issue(
    user: User,
    accounts: AccountClaim[],
    opts: IssueOptions = {},
  ): Promise<IssuedAccessToken> {
    const ttl = opts.restricted
      ? this.options.restrictedTtlSeconds
      : (opts.ttlSeconds ?? this.options.accessTtlSeconds);
    const claims: JWTPayload = {
      roles: user.roles,
      accounts,
      username: user.username,
      email: user.email,
      email_verified: user.emailVerified,
      locale: user.locale,
      token_use: ACCESS_USE,
    };
    if (opts.restricted) claims.pwd_exp = true;
    if (opts.viaApiKey) claims.amr = [API_KEY_AMR];
    return this.sign(user.id, claims, ttl);
  }

  /** A client_credentials token: the client is the subject; no user claims. */
  issueForClient(client: OAuthClient): Promise<IssuedAccessToken> {
    const claims: JWTPayload = { roles: client.roles, accounts: [], client_id: client.id, token_use: ACCESS_USE };
    return this.sign(client.id, claims, this.options.accessTtlSeconds);
  }

  private async sign(subject: string, claims: JWTPayload, ttl: number): Promise<IssuedAccessToken> {
    const { kid, alg, privateKey } = await this.keys.current();
    const iat = Math.floor(this.clock.now() / 1000);
    const jti = newId();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT', kid })
      .setIssuer(this.options.issuer)
      .setSubject(subject)
      .setAudience(this.options.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .setJti(jti)
      .sign(privateKey);
    return { token, jti, expiresAt: (iat + ttl) * 1000, expiresIn: ttl };
  }

  /** Verifies, then decodes, one of our tokens: seed 003's tokenInfo shows both halves. */
  async inspect(token: string): Promise<DecodedToken> {
    await this.verify(token);
    return { header: { ...decodeProtectedHeader(token) }, payload: { ...decodeJwt(token) } };
  }

  /** Verifies one of our access tokens; any failure is `invalid_token`, never a 500. */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const algorithms = await this.keys.algorithms();
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          const found = typeof header.kid === 'string' ? await this.keys.verificationKey(header.kid) : undefined;
          if (!found || found.alg !== header.alg) throw new joseErrors.JWKSNoMatchingKey();
          return found.key;
        },
        {
          algorithms,
          issuer: this.options.issuer,
          audience: this.options.audience,
          clockTolerance: this.options.clockToleranceSeconds,
          currentDate: new Date(this.clock.now()),
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          typ: 'JWT',
        },
      ));
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      throw new AuthError('invalid_token', expired ? 'the access token has expired' : 'the access token is not valid');
    }
    if (payload.token_use !== ACCESS_USE || typeof payload.sub !== 'string') {
      throw new AuthError('invalid_token', 'the token is not an access token');
    }
    return {
      userId: payload.sub,
      username: typeof payload.username === 'string' ? payload.username : '',
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [],
      accounts: Array.isArray(payload.accounts) ? (payload.accounts as AccountClaim[]) : [],
      passwordExpired: payload.pwd_exp === true,
      via: Array.isArray(payload.amr) && payload.amr.includes(API_KEY_AMR) ? 'api_key' : 'access_token',
      clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
      tokenId: String(payload.jti),
      expiresAt: (payload.exp ?? 0) * 1000,
    };
  }
}

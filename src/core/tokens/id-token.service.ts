import { createHash } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../ports.js';
import type { SigningKeyService } from '../signing-keys/signing-key.service.js';
import type { SigningAlgorithm } from '../signing-keys/signing-key.types.js';

/** `typ` of our ID tokens: plain `JWT` (OpenID Connect Core names none; RFC 9068 access tokens are `at+jwt`). */
export const ID_TOKEN_TYP = 'JWT';

export interface IdTokenOptions {
  issuer: string;
  ttlSeconds: number;
}

export interface IdTokenInput {
  userId: string;
  clientId: string;
  /** Epoch ms of the sign-in the token reports. */
  authTime: number;
  amr: string[];
  nonce: string | null;
  /** The browser session (the OP session of OpenID Connect), for logout. */
  browserSessionId: string | null;
  /** The access token issued with it, for `at_hash`. */
  accessToken: string;
  /** Claims the scopes release, beyond `sub`. */
  claims?: Record<string, unknown> | undefined;
}

/** What a verified `id_token_hint` tells: whom and which client it was issued to. */
export interface IdTokenHint {
  userId: string;
  clientId: string;
  browserSessionId: string | null;
}

/**
 * OpenID Connect Core 3.1.3.6 `at_hash`: the left half of the hash of the access token's ASCII,
 * with the hash of the signing algorithm (SHA-512 for EdDSA over Ed25519, as implementations do).
 */
export function accessTokenHash(accessToken: string, alg: SigningAlgorithm): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * ID tokens (OpenID Connect Core 2), signed with the same keys as every access token: `sub` is
 * the user id, `aud` and `azp` the client, plus `auth_time`, `amr`, `nonce`, `sid`, `at_hash`.
 * An ID token is no access token: its `typ` and audience are not those any route accepts.
 */
export class IdTokenService {
  constructor(
    private readonly keys: SigningKeyService,
    private readonly clock: Clock,
    private readonly options: IdTokenOptions,
  ) {}

  async issue(input: IdTokenInput): Promise<string> {
    const { kid, alg, privateKey } = await this.keys.current();
    const iat = Math.floor(this.clock.now() / 1000);
    const payload: JWTPayload = {
      ...input.claims,
      auth_time: Math.floor(input.authTime / 1000),
      amr: input.amr,
      azp: input.clientId,
      at_hash: accessTokenHash(input.accessToken, alg),
      ...(input.nonce !== null ? { nonce: input.nonce } : {}),
      ...(input.browserSessionId !== null ? { sid: input.browserSessionId } : {}),
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg, typ: ID_TOKEN_TYP, kid })
      .setIssuer(this.options.issuer)
      .setSubject(input.userId)
      .setAudience(input.clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.options.ttlSeconds)
      .sign(privateKey);
  }

  /**
   * An `id_token_hint` (RP-initiated logout): one of our ID tokens, signed by one of our keys,
   * from our issuer. It may have expired (the spec allows an expired hint), so expiry is not
   * checked; undefined for anything else.
   */
  async verifyHint(token: string): Promise<IdTokenHint | undefined> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.typ !== ID_TOKEN_TYP || typeof header.kid !== 'string') return undefined;
      const found = await this.keys.verificationKey(header.kid);
      if (!found || found.alg !== header.alg) return undefined;
      await compactVerify(token, found.key, { algorithms: [found.alg] });
      const claims = decodeJwt(token);
      if (claims.iss !== this.options.issuer || typeof claims.sub !== 'string' || typeof claims.aud !== 'string') return undefined;
      return { userId: claims.sub, clientId: claims.aud, browserSessionId: typeof claims.sid === 'string' ? claims.sid : null };
    } catch {
      // not a JWS, a bad signature, an unreadable payload: no hint of ours
      return undefined;
    }
  }
}

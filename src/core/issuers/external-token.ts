import { createPublicKey } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from '../errors.js';
import { isPlainText, MAX_EXTERNAL_SUBJECT_LENGTH } from '../users/new-user.js';
import type { TrustedIssuer } from './issuer.types.js';

/** Headers that would let a token choose its own verification key: never honoured, always refused. */
const KEY_CHOOSING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'];
/** As long as an issuer may be registered (the admin API's limit). */
export const MAX_ISSUER_LENGTH = 1024;
const MAX_JTI_LENGTH = 255;

/** What a verified external token says. */
export interface ExternalClaims {
  issuer: TrustedIssuer;
  /** Exactly as the issuer wrote it: `Bob` and `bob` are two people. */
  subject: string;
  jti: string | undefined;
  /** Epoch seconds. */
  exp: number;
}

export function refuse(reason: string): AuthError {
  return new AuthError('invalid_credentials', `the token is not acceptable: ${reason}`);
}

function unverifiedIssuer(token: string): string {
  let header: Record<string, unknown>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    throw refuse('not a JWT');
  }
  if (KEY_CHOOSING_HEADERS.some((h) => h in header)) throw refuse('key-selecting headers are not accepted');
  // checked before it reaches a query: a NUL byte would be a PostgreSQL error, not an unknown issuer
  if (!isPlainText(unverified.iss, MAX_ISSUER_LENGTH)) throw refuse('unknown issuer');
  return unverified.iss;
}

/**
 * Verifies an external JWT with the key registered for its `iss` and the algorithms pinned from
 * that key: `aud` must be the issuer's audience (an issuer without one accepts nothing), `sub` and
 * `exp` are required, `jti` when the issuer requires it; `exp`/`nbf` allow `toleranceSeconds`.
 * `sub` and `jti` are checked to be plain text before anything stores or looks them up.
 */
export async function verifyExternalToken(
  token: string,
  findIssuer: (iss: string) => Promise<TrustedIssuer | undefined>,
  at: { now: number; toleranceSeconds: number },
): Promise<ExternalClaims> {
  const issuer = await findIssuer(unverifiedIssuer(token));
  if (!issuer) throw refuse('unknown issuer');
  if (!issuer.audience) throw refuse('the issuer has no audience set');
  let payload: JWTPayload;
  try {
    const key = issuer.jwks ? createLocalJWKSet(issuer.jwks) : createPublicKey(issuer.publicKeyPem!);
    ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
      algorithms: issuer.algorithms,
      issuer: issuer.issuer,
      audience: issuer.audience,
      clockTolerance: at.toleranceSeconds,
      currentDate: new Date(at.now),
      requiredClaims: issuer.requireJti ? ['sub', 'exp', 'jti'] : ['sub', 'exp'],
    }));
  } catch {
    throw refuse('signature or claims invalid');
  }
  if (!isPlainText(payload.sub, MAX_EXTERNAL_SUBJECT_LENGTH)) throw refuse('sub is not an acceptable subject');
  if (payload.jti !== undefined && !isPlainText(payload.jti, MAX_JTI_LENGTH)) throw refuse('jti is not an acceptable token id');
  return { issuer, subject: payload.sub, jti: payload.jti, exp: payload.exp! };
}

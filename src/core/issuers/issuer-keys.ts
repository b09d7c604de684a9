import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { AuthError } from '../errors.js';

/** Asymmetric algorithms only: never `none`, never HMAC (whose key would be public here). */
const BY_KEY_TYPE: Record<string, string[]> = { rsa: ['RS256', 'PS256'], ec: ['ES256'], ed25519: ['EdDSA'] };
const ALLOWED = new Set(Object.values(BY_KEY_TYPE).flat());

function invalid(field: string, message: string): AuthError {
  return new AuthError('invalid_input', message, { field });
}

function algorithmsOf(key: KeyObject, field: string): string[] {
  const type = key.asymmetricKeyType ?? '';
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw invalid(field, 'EC keys must use P-256');
  const algorithms = BY_KEY_TYPE[type];
  if (!algorithms) throw invalid(field, 'the key must be RSA, EC P-256 or Ed25519');
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw invalid(field, 'RSA keys must have at least 2048 bits');
  return algorithms;
}

/** Validates a PEM public key and answers the algorithms it may verify. */
export function pemAlgorithms(pem: string): string[] {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw invalid('publicKeyPem', 'publicKeyPem is not a PEM public key');
  }
  if (key.type !== 'public') throw invalid('publicKeyPem', 'publicKeyPem must be a public key');
  return algorithmsOf(key, 'publicKeyPem');
}

/** Validates a JWKS (public asymmetric keys only) and answers the algorithms its keys may verify. */
export function jwksAlgorithms(jwks: JSONWebKeySet): string[] {
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw invalid('jwks', 'jwks must have at least one key');
  const algorithms = new Set<string>();
  for (const jwk of jwks.keys) {
    if (jwk.d !== undefined || jwk.k !== undefined) throw invalid('jwks', 'jwks must hold public asymmetric keys only');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      throw invalid('jwks', 'jwks holds a key that cannot be imported');
    }
    const own = algorithmsOf(key, 'jwks');
    if (jwk.alg !== undefined && !own.includes(jwk.alg)) throw invalid('jwks', `alg ${jwk.alg} does not fit the key type`);
    for (const alg of jwk.alg !== undefined ? [jwk.alg] : own) if (ALLOWED.has(alg)) algorithms.add(alg);
  }
  return [...algorithms];
}

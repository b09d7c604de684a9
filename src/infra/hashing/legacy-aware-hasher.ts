import { pbkdf2, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import type { PasswordHasher } from '../../core/ports.js';
import type { Argon2Hasher } from '../argon2-hasher.js';
import { parseHash, SCRYPT_MAX_MEMORY_BYTES, type Pbkdf2Hash, type ScryptHash } from './hash-formats.js';

const scryptAsync = promisify<string, Buffer, number, ScryptOptions, Buffer>(scrypt);
const pbkdf2Async = promisify(pbkdf2);

async function verifyScrypt(parsed: ScryptHash, password: string): Promise<boolean> {
  const derived = await scryptAsync(password, parsed.salt, parsed.hash.length, {
    N: parsed.cost,
    r: parsed.blockSize,
    p: parsed.parallelization,
    // node's default limit (32 MiB) is below passlib's default ln=16; parsing already bounds it
    maxmem: SCRYPT_MAX_MEMORY_BYTES + 1024 * 1024,
  });
  return timingSafeEqual(derived, parsed.hash);
}

async function verifyPbkdf2(parsed: Pbkdf2Hash, password: string): Promise<boolean> {
  const derived = await pbkdf2Async(password, parsed.salt, parsed.iterations, parsed.hash.length, 'sha256');
  return timingSafeEqual(derived, parsed.hash);
}

/**
 * The hasher Tessera runs with: new hashes are always argon2id (by the wrapped Argon2Hasher),
 * while verification also accepts the formats users were imported with (bcrypt, other argon2
 * variants and parameters, scrypt, pbkdf2-sha256). Every one of those answers `needsRehash`, so
 * the core's rehash-on-login replaces it with argon2id at the user's first successful login.
 * A string in no accepted format never verifies.
 */
export class LegacyAwareHasher implements PasswordHasher {
  constructor(private readonly argon2: Argon2Hasher) {}

  hash(password: string): Promise<string> {
    return this.argon2.hash(password);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    const parsed = parseHash(stored);
    try {
      switch (parsed?.scheme) {
        case 'argon2':
          return await this.argon2.verify(stored, password);
        case 'bcrypt':
          // bcryptjs is loaded at the first bcrypt hash (imported users only).
          return await (await import('bcryptjs')).default.compare(password, stored);
        case 'scrypt':
          return await verifyScrypt(parsed, password);
        case 'pbkdf2-sha256':
          return await verifyPbkdf2(parsed, password);
        default:
          return false;
      }
    } catch {
      return false;
    }
  }

  /** True for anything that is not argon2id with the current parameters, imported formats included. */
  needsRehash(stored: string): boolean {
    // Argon2Hasher reads only the parameter prefix; a malformed rest is no current argon2id either.
    return parseHash(stored)?.scheme !== 'argon2' || this.argon2.needsRehash(stored);
  }
}

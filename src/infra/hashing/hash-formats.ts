/**
 * Recognises the password-hash formats Tessera accepts from other systems (`tessera import`) and
 * reads their parameters. Verification lives in `legacy-aware-hasher.ts`; this module only parses,
 * so the importer can reject a row whose hash no login could ever match.
 *
 * Accepted formats (see docs/cli.md):
 * - argon2:  PHC `$argon2id$`, `$argon2i$`, `$argon2d$` (what @node-rs/argon2 can parse)
 * - bcrypt:  `$2a$`, `$2b$`, `$2y$` + two-digit cost + 53 characters of bcrypt base64
 * - scrypt:  PHC as passlib writes it, `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<hash b64>`
 * - pbkdf2-sha256: passlib `$pbkdf2-sha256$<iterations>$<salt ab64>$<hash ab64>` and
 *   Django `pbkdf2_sha256$<iterations>$<salt text>$<hash b64>`
 */
import { parseOptions } from '@node-rs/argon2';

export type HashScheme = 'argon2' | 'bcrypt' | 'scrypt' | 'pbkdf2-sha256';

export interface ScryptHash {
  scheme: 'scrypt';
  /** CPU/memory cost N (a power of two). */
  cost: number;
  blockSize: number;
  parallelization: number;
  salt: Buffer;
  hash: Buffer;
}

export interface Pbkdf2Hash {
  scheme: 'pbkdf2-sha256';
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

export type ParsedHash = { scheme: 'argon2' } | { scheme: 'bcrypt' } | ScryptHash | Pbkdf2Hash;

/**
 * Bounds that keep one login from costing more than a large legitimate hash would: a stored
 * string (an import file) must not be able to ask for gigabytes of memory or minutes of CPU.
 */
export const SCRYPT_MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const SCRYPT_MAX_PARALLELIZATION = 16;
const PBKDF2_MAX_ITERATIONS = 10_000_000;
const PBKDF2_SHA256_LENGTH = 32;
const MIN_HASH_BYTES = 16;
const MAX_HASH_BYTES = 64;

const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^\$argon2(?:id|i|d)\$/;
/** PHC B64 (standard alphabet, no padding); passlib's "ab64" writes `.` for `+`, accepted too. */
const B64 = '[A-Za-z0-9+/.]+';
const SCRYPT = new RegExp(`^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,3}),p=(\\d{1,2})\\$(${B64})\\$(${B64})$`);
const PASSLIB_PBKDF2 = new RegExp(`^\\$pbkdf2-sha256\\$([1-9]\\d{0,7})\\$(${B64})\\$(${B64})$`);
const DJANGO_PBKDF2 = /^pbkdf2_sha256\$([1-9]\d{0,7})\$([^$]+)\$([A-Za-z0-9+/]+={0,2})$/;

function b64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}

function parseScrypt(stored: string): ScryptHash | undefined {
  const match = SCRYPT.exec(stored);
  if (!match) return undefined;
  const [, ln, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const logCost = Number(ln);
  const blockSize = Number(r);
  const parallelization = Number(p);
  if (logCost < 1 || blockSize < 1 || parallelization < 1 || parallelization > SCRYPT_MAX_PARALLELIZATION) return undefined;
  const cost = 2 ** logCost;
  if (128 * cost * blockSize > SCRYPT_MAX_MEMORY_BYTES) return undefined;
  const parsed: ScryptHash = { scheme: 'scrypt', cost, blockSize, parallelization, salt: b64(salt), hash: b64(hash) };
  if (parsed.salt.length === 0 || parsed.hash.length < MIN_HASH_BYTES || parsed.hash.length > MAX_HASH_BYTES) return undefined;
  return parsed;
}

function parsePbkdf2(stored: string): Pbkdf2Hash | undefined {
  const passlib = PASSLIB_PBKDF2.exec(stored);
  const django = passlib ? undefined : DJANGO_PBKDF2.exec(stored);
  const match = passlib ?? django;
  if (!match) return undefined;
  const [, iterations, salt, hash] = match as unknown as [string, string, string, string];
  const parsed: Pbkdf2Hash = {
    scheme: 'pbkdf2-sha256',
    iterations: Number(iterations),
    // passlib stores the salt's bytes in ab64; Django uses the salt text itself as the salt
    salt: passlib ? b64(salt) : Buffer.from(salt, 'utf8'),
    hash: b64(hash),
  };
  if (parsed.iterations > PBKDF2_MAX_ITERATIONS || parsed.hash.length !== PBKDF2_SHA256_LENGTH) return undefined;
  return parsed;
}

function isArgon2(stored: string): boolean {
  if (!ARGON2.test(stored)) return false;
  try {
    parseOptions(stored);
    return true;
  } catch {
    return false;
  }
}

/** The stored hash's scheme and parameters, or undefined when it is none of the accepted formats. */
export function parseHash(stored: string): ParsedHash | undefined {
  if (stored.startsWith('$argon2')) return isArgon2(stored) ? { scheme: 'argon2' } : undefined;
  if (stored.startsWith('$2')) return BCRYPT.test(stored) ? { scheme: 'bcrypt' } : undefined;
  if (stored.startsWith('$scrypt$')) return parseScrypt(stored);
  return parsePbkdf2(stored);
}

/** Just the scheme name: what the importer reports and counts. */
export function hashScheme(stored: string): HashScheme | undefined {
  return parseHash(stored)?.scheme;
}

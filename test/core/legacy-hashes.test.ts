/**
 * The hasher Tessera runs with: argon2id for new hashes, and verification of the formats users
 * are imported with. Vectors are made here with the same libraries (bcryptjs, node:crypto,
 * @node-rs/argon2), plus published ones: passlib's and Django's test suites, jBCrypt's, RFC 7914.
 */
import { randomBytes, scryptSync, pbkdf2Sync } from 'node:crypto';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it, vi } from 'vitest';
import { Argon2Hasher } from '../../src/infra/argon2-hasher.js';
import { hashScheme, parseHash } from '../../src/infra/hashing/hash-formats.js';
import { LegacyAwareHasher } from '../../src/infra/hashing/legacy-aware-hasher.js';

const CURRENT = { memoryKib: 19_456, timeCost: 2, parallelism: 1 };
const hasher = new LegacyAwareHasher(new Argon2Hasher(CURRENT));
const PASSWORD = 'correct horse battery staple';
const WRONG = 'correct horse battery stapler';

/** PHC B64: standard alphabet, no padding. */
function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** passlib's "adapted" base64: `.` instead of `+`, no padding. */
function ab64(bytes: Buffer): string {
  return b64(bytes).replace(/\+/g, '.');
}

function scryptHash(password: string, ln: number, r = 8, p = 1, salt = randomBytes(16)): string {
  const derived = scryptSync(password, salt, 32, { N: 2 ** ln, r, p });
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(derived)}`;
}

function passlibPbkdf2(password: string, iterations: number, salt = randomBytes(16)): string {
  return `$pbkdf2-sha256$${iterations}$${ab64(salt)}$${ab64(pbkdf2Sync(password, salt, iterations, 32, 'sha256'))}`;
}

function djangoPbkdf2(password: string, iterations: number, salt = 'Vb1dNRNxJ8kqJc3kLm2W7p'): string {
  return `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;
}

/** Verifies with the right and a wrong password, and checks the hash asks to be replaced. */
async function expectLegacy(stored: string, password = PASSWORD): Promise<void> {
  expect(await hasher.verify(stored, password), stored).toBe(true);
  expect(await hasher.verify(stored, `${password}x`), stored).toBe(false);
  expect(hasher.needsRehash(stored), stored).toBe(true);
}

describe('new hashes', () => {
  it('are argon2id with the current parameters, verify, and need no rehash', async () => {
    const stored = await hasher.hash(PASSWORD);
    expect(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await hasher.verify(stored, PASSWORD)).toBe(true);
    expect(await hasher.verify(stored, WRONG)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(false);
  });

  it('need a rehash once the configured parameters change', async () => {
    const stored = await hasher.hash(PASSWORD);
    const stronger = new LegacyAwareHasher(new Argon2Hasher({ ...CURRENT, timeCost: 3 }));
    expect(stronger.needsRehash(stored)).toBe(true);
    expect(await stronger.verify(stored, PASSWORD)).toBe(true);
  });
});

describe('argon2 from elsewhere', () => {
  it.for([
    ['argon2id, other parameters', { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 2 }],
    ['argon2i', { algorithm: 1, memoryCost: 4096, timeCost: 3 }],
    ['argon2d', { algorithm: 0, memoryCost: 4096, timeCost: 3 }],
  ] as const)('%s verifies and is rehashed', async ([, options]) => {
    const stored = await argon2Hash(PASSWORD, options);
    expect(hashScheme(stored)).toBe('argon2');
    await expectLegacy(stored);
  });
});

describe('bcrypt', () => {
  it.for(['$2a$', '$2b$', '$2y$'])('%s verifies and is rehashed', async (prefix) => {
    const stored = prefix + bcrypt.hashSync(PASSWORD, 4).slice(4);
    expect(stored.startsWith(prefix)).toBe(true);
    expect(hashScheme(stored)).toBe('bcrypt');
    await expectLegacy(stored);
  });

  it('matches the published jBCrypt vectors', async () => {
    expect(await hasher.verify('$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.', '')).toBe(true);
    expect(await hasher.verify('$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe', 'a')).toBe(true);
    expect(await hasher.verify('$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe', 'b')).toBe(false);
  });
});

describe('scrypt ($scrypt$ln=..,r=..,p=..$salt$hash, as passlib writes it)', () => {
  it('a generated hash verifies and is rehashed', async () => {
    await expectLegacy(scryptHash(PASSWORD, 10));
  });

  it('matches passlib documentation vectors, including its default ln=16 (64 MiB)', async () => {
    await expectLegacy('$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ', 'password');
    await expectLegacy('$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E', 'password');
  });

  it('matches the RFC 7914 test vector (N=1024, r=8, p=16, 64-byte key)', async () => {
    const rfc = Buffer.from(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      'hex',
    );
    await expectLegacy(`$scrypt$ln=10,r=8,p=16$${b64(Buffer.from('NaCl'))}$${b64(rfc)}`, 'password');
  });

  it('refuses parameters that would cost more than 256 MiB per login, without deriving anything', async () => {
    const huge = scryptHash(PASSWORD, 10).replace('ln=10', 'ln=20');
    expect(parseHash(huge)).toBeUndefined();
    expect(await hasher.verify(huge, PASSWORD)).toBe(false);
  });
});

describe('pbkdf2-sha256', () => {
  it('passlib format ($pbkdf2-sha256$rounds$salt$hash, ab64): generated and published vectors', async () => {
    await expectLegacy(passlibPbkdf2(PASSWORD, 1000));
    await expectLegacy('$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ', 'password');
    await expectLegacy('$pbkdf2-sha256$1212$3SABFJGDtyhrQMVt1uABPw$WyaUoqCLgvz97s523nF4iuOqZNbp5Nt8do/cuaa7AiI', '\u0399\u03c9\u03b1\u03bd\u03bd\u03b7\u03c2');
  });

  it('Django format (pbkdf2_sha256$iterations$salt$hash): generated and published vectors', async () => {
    await expectLegacy(djangoPbkdf2(PASSWORD, 1000));
    // Django's own test (auth_tests/test_hashers.py, Django 4.2)
    await expectLegacy('pbkdf2_sha256$600000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=', 'lètmein');
  });

  it('rejects a hash that is not 32 bytes and iteration counts above 10 million', () => {
    expect(parseHash(djangoPbkdf2(PASSWORD, 1000).slice(0, -8) + '=')).toBeUndefined();
    expect(parseHash(passlibPbkdf2(PASSWORD, 1).replace('$1$', '$20000000$'))).toBeUndefined();
  });
});

describe('anything else', () => {
  it.for([
    ['empty', ''],
    ['plain text', PASSWORD],
    ['md5-crypt', '$1$salt$qJH7.N4xYta3aEG/dfqo/0'],
    ['sha512-crypt', '$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g.'],
    ['LDAP SSHA', '{SSHA}DnKiYrOFTEkn+VpML/5/mBX+VpPyx0J0rjW88Q=='],
    ['pbkdf2-sha512', '$pbkdf2-sha512$1212$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww'],
    ['pbkdf2-sha1 (passlib)', '$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI'],
    ['truncated bcrypt', '$2b$04$Jx1Wm0bYLTq0jWqpH8yVYOKMx8m0gmS3p2s9YQ8rcRrXzJ8'],
    ['bcrypt cost 3', '$2b$03$Jx1Wm0bYLTq0jWqpH8yVYOKMx8m0gmS3p2s9YQ8rcRrXzJ8OeJZyq'],
    ['argon2 without hash', '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ'],
    ['scrypt missing p', '$scrypt$ln=8,r=8$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ'],
  ] as const)('%s: unrecognised, never verifies, needs a rehash', async ([, stored]) => {
    expect(hashScheme(stored)).toBeUndefined();
    expect(await hasher.verify(stored, PASSWORD)).toBe(false);
    expect(await hasher.verify(stored, stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(true);
  });

  it('a tampered hash of the right length verifies false', async () => {
    const stored = passlibPbkdf2(PASSWORD, 1000);
    const tampered = stored.slice(0, -2) + (stored.endsWith('AA') ? 'BB' : 'AA');
    expect(hashScheme(tampered)).toBe('pbkdf2-sha256');
    expect(await hasher.verify(tampered, PASSWORD)).toBe(false);
  });

  it('verify answers false instead of throwing when a library throws', async () => {
    const stored = bcrypt.hashSync(PASSWORD, 4);
    const spy = vi.spyOn(bcrypt, 'compare').mockRejectedValueOnce(new Error('boom'));
    expect(await hasher.verify(stored, PASSWORD)).toBe(false);
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
  });
});

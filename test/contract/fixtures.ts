/**
 * Row builders for the storage contract. Every time is near T0, a date past 2^32 ms, so that each
 * case also proves the BIGINT columns hold (and give back) real epoch milliseconds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../src/core/audit/audit.types.js';
import type { Store } from '../../src/core/ports.js';
import type { OneTimeCode } from '../../src/core/recovery/recovery.types.js';
import type { RefreshTokenRecord, Session } from '../../src/core/sessions/session.types.js';
import type { SigningKeyRecord } from '../../src/core/signing-keys/signing-key.types.js';
import type { Address, User } from '../../src/core/users/user.types.js';

/** 2100-01-01T00:00:00Z: far beyond what a 32-bit integer column could hold. */
export const T0 = Date.UTC(2100, 0, 1);

export const MINUTE = 60_000;

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

export type OpenStore = () => Promise<OpenedStore>;

/** The store of the running case; each case gets a fresh, empty one. */
export interface ContractContext {
  readonly store: Store;
}

function hex(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

export function makeUser(overrides: Partial<User> = {}): User {
  const name = `user-${hex()}`;
  return {
    id: randomUUID(),
    username: name,
    usernameKey: name.toLowerCase(),
    email: `${name}@example.test`,
    name: 'Some One',
    locale: 'en-US',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
    passwordChangedAt: T0,
    passwordExpiresAt: null,
    roles: [],
    emailVerified: false,
    termsAccepted: true,
    locked: false,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** Inserts a user and answers it (most repositories need one for their foreign keys). */
export async function insertUser(store: Store, overrides: Partial<User> = {}): Promise<User> {
  const user = makeUser(overrides);
  await store.users.insert(user);
  return user;
}

export function makeAddress(userId: string, overrides: Partial<Address> = {}): Address {
  return { id: randomUUID(), userId, address: `${hex(3)} Main Street`, type: 'home', createdAt: T0, ...overrides };
}

export function makeSession(userId: string, overrides: Partial<Session> = {}): Session {
  return {
    id: randomUUID(),
    userId,
    client: 'native',
    ip: '203.0.113.7',
    userAgent: 'contract-test',
    createdAt: T0,
    lastUsedAt: T0,
    revokedAt: null,
    revokedReason: null,
    expiresAt: null,
    apiKeyId: null,
    ...overrides,
  };
}

export function makeToken(session: Session, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    id: randomUUID(),
    sessionId: session.id,
    userId: session.userId,
    tokenHash: `hash-${hex(16)}`,
    createdAt: T0,
    expiresAt: T0 + 30 * MINUTE,
    usedAt: null,
    ...overrides,
  };
}

export function makeKey(overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  const kid = `kid-${hex(16)}`;
  return {
    kid,
    alg: 'EdDSA',
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url') },
    privatePem: `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END PRIVATE KEY-----\n`,
    createdAt: T0,
    retiredAt: null,
    ...overrides,
  };
}

export function makeCode(userId: string, overrides: Partial<OneTimeCode> = {}): OneTimeCode {
  return {
    id: randomUUID(),
    userId,
    purpose: 'reset_code',
    codeHash: `code-${hex(16)}`,
    createdAt: T0,
    expiresAt: T0 + 30 * MINUTE,
    usedAt: null,
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: T0,
    type: 'login.succeeded',
    userId: null,
    outcome: 'success',
    ip: '198.51.100.1',
    requestId: `req-${hex(4)}`,
    detail: { surface: 'native', nested: { n: 1, list: ['a', 'b'] } },
    ...overrides,
  };
}

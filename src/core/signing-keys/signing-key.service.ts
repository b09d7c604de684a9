import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { KeyCipher } from '../crypto/key-cipher.js';
import type { Clock } from '../ports.js';
import type { SigningKeyRepo } from './signing-key.repo.js';
import type { SigningAlgorithm, SigningKeyRecord } from './signing-key.types.js';

const generate = promisify(generateKeyPair);

export interface SigningKeyOptions {
  algorithm: SigningAlgorithm;
  /** The longest lifetime of any token we sign: a retired key is published that much longer. */
  maxTokenLifetimeMs: number;
  /** How long a loaded key set is trusted before it is re-read (rotations by other instances). */
  reloadIntervalMs: number;
  /** A current key older than this is replaced on the next read; 0 = never automatically. */
  rotationIntervalMs: number;
  /** Encrypts private keys at rest (KEY_ENCRYPTION_KEY); unset = stored as PEM. */
  cipher?: KeyCipher | undefined;
}

/** Marks a private key stored encrypted: `enc:v1:` + AES-256-GCM (bound to the kid). */
const ENCRYPTED = 'enc:v1:';

export interface SigningKeySummary {
  kid: string;
  alg: SigningAlgorithm;
  createdAt: number;
  retiredAt: number | null;
  current: boolean;
  encrypted: boolean;
}

export type PublishedJwk = JWK & { kty: string; kid: string; alg: string; use: string };

interface LoadedKey {
  record: SigningKeyRecord;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

interface KeySet {
  current: LoadedKey;
  byKid: Map<string, LoadedKey>;
  loadedAt: number;
}

/**
 * The signing-key lifecycle: a key is generated and persisted on first start, every instance
 * signs with the newest unretired key, and a retired key keeps verifying (and stays in JWKS)
 * until the last token it signed has expired.
 */
export class SigningKeyService {
  private keySet: KeySet | undefined;
  private loading: Promise<KeySet> | undefined;

  constructor(
    private readonly repo: SigningKeyRepo,
    private readonly clock: Clock,
    private readonly options: SigningKeyOptions,
  ) {}

  /** Makes sure a signing key exists; safe when several instances start at once. */
  async init(): Promise<void> {
    await this.load(true);
  }

  async current(): Promise<{ kid: string; alg: SigningAlgorithm; privateKey: KeyObject }> {
    const set = await this.fresh();
    return { kid: set.current.record.kid, alg: set.current.record.alg, privateKey: set.current.privateKey };
  }

  /** The public key for `kid`, or undefined when it is not one of ours (never a lookup elsewhere). */
  async verificationKey(kid: string): Promise<{ key: KeyObject; alg: SigningAlgorithm } | undefined> {
    let set = await this.fresh();
    let found = set.byKid.get(kid);
    if (!found && this.clock.now() - set.loadedAt > 5_000) {
      set = await this.load(false);
      found = set.byKid.get(kid);
    }
    return found ? { key: found.publicKey, alg: found.record.alg } : undefined;
  }

  async publicKeyPem(): Promise<string> {
    const set = await this.fresh();
    return set.current.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  async jwks(): Promise<{ keys: PublishedJwk[] }> {
    const set = await this.fresh();
    const keys = [...set.byKid.values()].map(({ record }) => ({
      ...record.publicJwk,
      kty: String(record.publicJwk.kty),
      kid: record.kid,
      alg: record.alg,
      use: 'sig',
    }));
    return { keys };
  }

  /** Algorithms that verification accepts: those of our own keys, nothing else. */
  async algorithms(): Promise<SigningAlgorithm[]> {
    const set = await this.fresh();
    return [...new Set([...set.byKid.values()].map((k) => k.record.alg))];
  }

  /** Generates a new current key; the previous one keeps verifying until its tokens expire. */
  async rotate(): Promise<string> {
    const record = await this.generateRecord();
    await this.repo.insert(record);
    await this.repo.retireAllExcept(record.kid, this.clock.now());
    const set = await this.load(false);
    return set.current.record.kid;
  }

  /** Every stored key, newest first, without key material (for operators). */
  async list(): Promise<SigningKeySummary[]> {
    const current = (await this.fresh()).current.record.kid;
    const records = await this.repo.listVerifiable(Number.MIN_SAFE_INTEGER);
    return records.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      createdAt: r.createdAt,
      retiredAt: r.retiredAt,
      current: r.kid === current,
      encrypted: r.privatePem.startsWith(ENCRYPTED),
    }));
  }

  private async fresh(): Promise<KeySet> {
    const set = this.keySet;
    if (set && this.clock.now() - set.loadedAt < this.options.reloadIntervalMs) return set;
    return this.load(false);
  }

  private load(createIfMissing: boolean): Promise<KeySet> {
    this.loading ??= this.read(createIfMissing).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(createIfMissing: boolean): Promise<KeySet> {
    const since = this.clock.now() - this.options.maxTokenLifetimeMs;
    let records = await this.repo.listVerifiable(since);
    if (!records.some((r) => r.retiredAt === null) && createIfMissing) {
      await this.repo.insert(await this.generateRecord());
      records = await this.repo.listVerifiable(since);
    }
    const live = records.filter((r) => r.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt);
    const newest = live[0];
    if (!newest) throw new Error('no signing key: start-up did not create one');
    const { rotationIntervalMs } = this.options;
    if (rotationIntervalMs > 0 && this.clock.now() - newest.createdAt >= rotationIntervalMs) {
      const fresh = await this.generateRecord();
      await this.repo.insert(fresh);
      await this.repo.retireAllExcept(fresh.kid, this.clock.now());
      return this.read(false);
    }
    const byKid = new Map(records.map((r) => [r.kid, this.toLoaded(r)] as const));
    const set: KeySet = { current: byKid.get(newest.kid)!, byKid, loadedAt: this.clock.now() };
    this.keySet = set;
    return set;
  }

  private async generateRecord(): Promise<SigningKeyRecord> {
    const alg = this.options.algorithm;
    const pair =
      alg === 'RS256'
        ? await generate('rsa', { modulusLength: 2048 })
        : alg === 'ES256'
          ? await generate('ec', { namedCurve: 'P-256' })
          : await generate('ed25519');
    const publicJwk = pair.publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return {
      kid,
      alg,
      publicJwk,
      privatePem: this.options.cipher ? ENCRYPTED + this.options.cipher.encrypt(pem, kid) : pem,
      createdAt: this.clock.now(),
      retiredAt: null,
    };
  }

  private toLoaded(record: SigningKeyRecord): LoadedKey {
    let pem = record.privatePem;
    if (pem.startsWith(ENCRYPTED)) {
      if (!this.options.cipher) throw new Error('signing keys are encrypted at rest: set KEY_ENCRYPTION_KEY');
      try {
        pem = this.options.cipher.decrypt(pem.slice(ENCRYPTED.length), record.kid);
      } catch {
        throw new Error('a signing key cannot be decrypted: KEY_ENCRYPTION_KEY is not the key it was encrypted with');
      }
    }
    const privateKey = createPrivateKey(pem);
    return { record, privateKey, publicKey: createPublicKey(privateKey) };
  }
}

import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
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
    const byKid = new Map(records.map((r) => [r.kid, toLoaded(r)] as const));
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
    return {
      kid: await calculateJwkThumbprint(publicJwk, 'sha256'),
      alg,
      publicJwk,
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      createdAt: this.clock.now(),
      retiredAt: null,
    };
  }
}

function toLoaded(record: SigningKeyRecord): LoadedKey {
  const privateKey = createPrivateKey(record.privatePem);
  return { record, privateKey, publicKey: createPublicKey(privateKey) };
}

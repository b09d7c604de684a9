import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { KeyCipher } from '../crypto/key-cipher.js';
import type { Clock } from '../ports.js';
import { GENESIS, type SigningKeyRepo } from './signing-key.repo.js';
import type { SigningAlgorithm, SigningKeyRecord } from './signing-key.types.js';

const generate = promisify(generateKeyPair);

/**
 * The least time between two reloads for an unknown kid (a flood of made-up kids costs at most
 * this many key-table reads per second); a token waits for the next reload, it is never refused
 * without one.
 */
const UNKNOWN_KID_RELOAD_GAP_MS = 200;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  /** The reload for unknown kids under way, and the one queued behind it (see reloadForUnknownKid). */
  private kidReload: Promise<KeySet> | undefined;
  private kidReloadQueued: Promise<KeySet> | undefined;
  private lastKidReloadAt = Number.NEGATIVE_INFINITY;

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

  /**
   * The public key for `kid`, or undefined when it is not one of ours (never a lookup elsewhere).
   * A kid this instance does not know yet may be a key another instance made a moment ago: the
   * key table is read again (a read that started after this request) before the answer is no.
   */
  async verificationKey(kid: string): Promise<{ key: KeyObject; alg: SigningAlgorithm } | undefined> {
    let found = (await this.fresh()).byKid.get(kid);
    if (!found) found = (await this.reloadForUnknownKid()).byKid.get(kid);
    return found ? { key: found.publicKey, alg: found.record.alg } : undefined;
  }

  /** Whether `kid` is in the key set as loaded now (re-read every reloadIntervalMs): no extra read. */
  async knows(kid: string): Promise<boolean> {
    return (await this.fresh()).byKid.has(kid);
  }

  /**
   * One reload at a time, at most one every UNKNOWN_KID_RELOAD_GAP_MS. A request that arrives
   * while a reload is running waits for the next one (which starts after it arrived, so it sees
   * any key committed before the request); every request arriving meanwhile shares that one.
   */
  private reloadForUnknownKid(): Promise<KeySet> {
    if (this.kidReload === undefined) return this.startKidReload();
    this.kidReloadQueued ??= this.kidReload
      .catch(() => undefined)
      .then(() => {
        this.kidReloadQueued = undefined;
        return this.startKidReload();
      });
    return this.kidReloadQueued;
  }

  private startKidReload(): Promise<KeySet> {
    const run: Promise<KeySet> = this.spacedReload().finally(() => {
      if (this.kidReload === run) this.kidReload = undefined;
    });
    this.kidReload = run;
    return run;
  }

  private async spacedReload(): Promise<KeySet> {
    const wait = this.lastKidReloadAt + UNKNOWN_KID_RELOAD_GAP_MS - performance.now();
    if (wait > 0) await pause(wait);
    this.lastKidReloadAt = performance.now();
    return this.read(false);
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

  /**
   * Generates a new current key; the previous one keeps verifying until its tokens expire. The
   * new key succeeds the current one as stored right now: if another instance rotated in the same
   * moment, this one succeeds theirs instead, so every rotation asked for makes a key.
   */
  async rotate(): Promise<string> {
    const record = await this.generateRecord();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = (await this.read(false)).current.record.kid;
      if (await this.repo.insertSuccessor(record, current)) {
        await this.repo.retireAllExcept(record.kid, this.clock.now());
        return (await this.read(false)).current.record.kid;
      }
    }
    throw new Error('signing key rotation kept losing races with other instances');
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
      // Instances starting at once on an empty database race here; one key wins, all adopt it.
      // (With keys that were all retired, the race is for the newest one's succession.)
      const record = await this.generateRecord();
      await this.repo.insertSuccessor(record, records[0]?.kid ?? GENESIS);
      records = await this.repo.listVerifiable(since);
      // Every key retired long ago and the genesis slot taken: no race to arbitrate, insert.
      if (!records.some((r) => r.retiredAt === null)) {
        await this.repo.insertSuccessor(record, `${GENESIS}:${record.kid}`);
        records = await this.repo.listVerifiable(since);
      }
    }
    const live = records.filter((r) => r.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt);
    const newest = live[0];
    if (!newest) throw new Error('no signing key: start-up did not create one');
    const { rotationIntervalMs } = this.options;
    if (rotationIntervalMs > 0 && this.clock.now() - newest.createdAt >= rotationIntervalMs) {
      // Every instance sees the key age at about the same time: one successor wins, and only
      // its maker retires the rest (before, two winners retired each other's keys).
      const fresh = await this.generateRecord();
      if (await this.repo.insertSuccessor(fresh, newest.kid)) await this.repo.retireAllExcept(fresh.kid, this.clock.now());
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

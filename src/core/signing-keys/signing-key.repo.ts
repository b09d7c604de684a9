import type { SigningKeyRecord } from './signing-key.types.js';

export interface SigningKeyRepo {
  /** Inserts unless a key with this kid exists (two instances racing at first start). */
  insert(key: SigningKeyRecord): Promise<void>;
  /** Keys that may still verify a live token: current ones and those retired after `since`. */
  listVerifiable(since: number): Promise<SigningKeyRecord[]>;
  retireAllExcept(kid: string, now: number): Promise<void>;
}

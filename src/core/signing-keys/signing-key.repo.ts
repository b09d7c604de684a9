import type { SigningKeyRecord } from './signing-key.types.js';

/** What the first key succeeds: there was no key before it. */
export const GENESIS = 'genesis';

export interface SigningKeyRepo {
  /**
   * Inserts `key` as the one successor of `succeeds` (a kid, or GENESIS): answers false, and
   * inserts nothing, when that key already has a successor (another instance won the race).
   */
  insertSuccessor(key: SigningKeyRecord, succeeds: string): Promise<boolean>;
  /** Keys that may still verify a live token: current ones and those retired after `since`. */
  listVerifiable(since: number): Promise<SigningKeyRecord[]>;
  retireAllExcept(kid: string, now: number): Promise<void>;
}

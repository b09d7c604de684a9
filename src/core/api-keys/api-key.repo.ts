import type { Membership } from '../accounts/account.types.js';
import type { User } from '../users/user.types.js';
import type { ApiKeyRecord } from './api-key.types.js';

/** A key as an API-key request needs it: its owner (undefined when the user row is gone) and the owner's memberships, ordered by account id. */
export interface KeyWithOwner {
  key: ApiKeyRecord;
  owner: User | undefined;
  memberships: Membership[];
}

export interface ApiKeyRepo {
  insert(key: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** The key with this hash, its owner and the owner's memberships; one read. */
  findByHashWithOwner(keyHash: string): Promise<KeyWithOwner | undefined>;
  listByUser(userId: string): Promise<ApiKeyRecord[]>;
  /** Deletes the key only if it belongs to `userId`; answers the deleted key's id, if any. */
  deleteForUser(keyHash: string, userId: string): Promise<string | undefined>;
  /** Deletes every key of the user (recovery by mail); answers how many. */
  deleteAllForUser(userId: string): Promise<number>;
  touch(id: string, now: number): Promise<void>;
}

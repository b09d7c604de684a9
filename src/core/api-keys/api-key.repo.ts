import type { ApiKeyRecord } from './api-key.types.js';

export interface ApiKeyRepo {
  insert(key: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listByUser(userId: string): Promise<ApiKeyRecord[]>;
  /** Deletes the key only if it belongs to `userId`; answers whether it did. */
  deleteForUser(keyHash: string, userId: string): Promise<boolean>;
  touch(id: string, now: number): Promise<void>;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the full key: the only form that identifies it. */
  keyHash: string;
  /** The first characters of the key (its recognisable prefix), safe to show. */
  prefix: string;
  /** The last 4 characters, for the masked display. */
  lastFour: string;
  /** AES-256-GCM ciphertext of the key, only with the legacy show-in-list option. */
  encryptedKey: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A key as its owner may see it: full only when just created or under the legacy option. */
export interface ApiKeyView {
  id: string;
  name: string;
  token: string;
  createdAt: number;
  lastUsedAt: number | null;
}

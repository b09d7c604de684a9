import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId, randomToken, secretHash } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import type { KeyWithOwner } from './api-key.repo.js';
import type { ApiKeyRecord, ApiKeyView } from './api-key.types.js';
import type { KeyCipher } from '../crypto/key-cipher.js';
import type { User } from '../users/user.types.js';

/** Every key starts with this, so leaked keys are recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'tsk_';
const KEY_BYTES = 24;
const VISIBLE_PREFIX = API_KEY_PREFIX.length + 4;
const MAX_KEYS_PER_USER = 100;
/** last_used_at is written at most this often per key, so authentication stays read-mostly. */
const TOUCH_INTERVAL_MS = 60_000;

/** The exact form of every key this service issues: the prefix and 24 random bytes in base64url. */
const API_KEY_FORM = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{${Math.ceil((KEY_BYTES * 4) / 3)}}$`);

/** True for a string in the exact form of a Tessera API key (it may still be unknown). */
export function looksLikeApiKey(value: string): boolean {
  return API_KEY_FORM.test(value);
}

/**
 * API keys ("auth headers", seed 001): 192 random bits behind a `tsk_` prefix, stored as a
 * SHA-256 hash plus a visible prefix and last four characters. The full key is shown once, at
 * creation, unless the legacy option (a KeyCipher) keeps it encrypted so lists can show it.
 */
export class ApiKeyService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cipher: KeyCipher | undefined,
  ) {}

  /** A new key for `owner` (an active user: the authenticator checked it for this request). */
  async create(owner: User, name: string, context: RequestContext): Promise<ApiKeyView> {
    const userId = owner.id;
    const trimmed = name.normalize('NFKC').trim();
    if (!trimmed) throw new AuthError('invalid_input', 'name must not be empty', { field: 'name' });
    const existing = await this.store.apiKeys.listByUser(userId);
    if (existing.length >= MAX_KEYS_PER_USER) {
      throw new AuthError('invalid_input', `a user can have at most ${MAX_KEYS_PER_USER} API keys`, { field: 'name' });
    }
    const token = API_KEY_PREFIX + randomToken(KEY_BYTES);
    const id = newId();
    const record: ApiKeyRecord = {
      id,
      userId,
      name: trimmed,
      keyHash: secretHash(token),
      prefix: token.slice(0, VISIBLE_PREFIX),
      lastFour: token.slice(-4),
      encryptedKey: this.cipher ? this.cipher.encrypt(token, id) : null,
      createdAt: this.clock.now(),
      lastUsedAt: null,
    };
    await this.store.apiKeys.insert(record);
    await this.audit.record('api_key.created', { userId, context, detail: { keyId: id, prefix: record.prefix } });
    return { id, name: record.name, token, createdAt: record.createdAt, lastUsedAt: null };
  }

  /** The caller's own keys: masked (`tsk_abcd...wxyz`), or in full under the legacy option. */
  async list(userId: string): Promise<ApiKeyView[]> {
    const records = await this.store.apiKeys.listByUser(userId);
    return records.map((r) => ({
      id: r.id,
      name: r.name,
      token: this.shown(r),
      createdAt: r.createdAt,
      lastUsedAt: r.lastUsedAt,
    }));
  }

  /**
   * The full key when it can be decrypted; otherwise (no legacy option, a key stored without it,
   * or one encrypted under an earlier API_KEY_ENCRYPTION_KEY) the masked form, never a failure.
   */
  private shown(r: ApiKeyRecord): string {
    const masked = `${r.prefix}...${r.lastFour}`;
    if (!this.cipher || !r.encryptedKey) return masked;
    try {
      return this.cipher.decrypt(r.encryptedKey, r.id);
    } catch {
      return masked;
    }
  }

  /**
   * Deletes one of the caller's keys by its full value, and in the same step ends every session
   * the key bought (POST /v1/auth/token): their tokens die with it. Anyone else's key is `not_found`.
   */
  async delete(userId: string, token: string, context: RequestContext): Promise<void> {
    await this.deleteByHash(userId, secretHash(token), token.slice(0, VISIBLE_PREFIX), context);
  }

  /** The same by the key's id, for lists that show keys masked (the account page). */
  async deleteById(userId: string, id: string, context: RequestContext): Promise<void> {
    const record = (await this.store.apiKeys.listByUser(userId)).find((r) => r.id === id);
    if (!record) throw new AuthError('not_found', 'no such API key');
    await this.deleteByHash(userId, record.keyHash, record.prefix, context);
  }

  private async deleteByHash(userId: string, keyHash: string, prefix: string, context: RequestContext): Promise<void> {
    const now = this.clock.now();
    const deleted = await this.store.transaction(async (tx) => {
      const id = await tx.apiKeys.deleteForUser(keyHash, userId);
      if (id) await tx.sessions.revokeAllForApiKey(id, now, 'api_key_deleted');
      return id;
    });
    if (!deleted) throw new AuthError('not_found', 'no such API key');
    await this.audit.record('api_key.deleted', { userId, context, detail: { prefix } });
  }

  /** The key's record if it is live; records when it was last used. */
  async resolve(token: string): Promise<ApiKeyRecord | undefined> {
    return (await this.resolveWithOwner(token))?.key;
  }

  /** The live key with its owner and the owner's memberships as stored now (read together: one statement); records the use. */
  async resolveWithOwner(token: string): Promise<KeyWithOwner | undefined> {
    if (!looksLikeApiKey(token)) return undefined;
    const found = await this.store.apiKeys.findByHashWithOwner(secretHash(token));
    if (!found) return undefined;
    const now = this.clock.now();
    if (found.key.lastUsedAt === null || now - found.key.lastUsedAt >= TOUCH_INTERVAL_MS) {
      await this.store.apiKeys.touch(found.key.id, now);
    }
    return found;
  }
}

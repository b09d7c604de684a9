import type { Clock, Repositories } from '../ports.js';
import { newId, randomToken, secretHash } from '../secrets.js';
import type { CodePurpose } from './recovery.types.js';

/** 24 random bytes: 192 bits, 32 base64url characters. */
const CODE_BYTES = 24;

/** Issues and consumes one-time codes; only their hashes are stored. */
export class OneTimeCodes {
  constructor(private readonly clock: Clock) {}

  /**
   * A fresh code for the user; every earlier live code of the same purpose dies. `replaced` is
   * how many live codes it ended (the mail of the new code says it replaces the earlier one).
   */
  async issue(repos: Repositories, userId: string, purpose: CodePurpose, ttlSeconds: number) {
    const now = this.clock.now();
    const code = randomToken(CODE_BYTES);
    const expiresAt = now + ttlSeconds * 1000;
    const replaced = await repos.recovery.invalidate(userId, purpose, now);
    await repos.recovery.insert({
      id: newId(),
      userId,
      purpose,
      codeHash: secretHash(code),
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    return { code, expiresAt, replaced };
  }

  /** The user id for the one caller that uses a live code; undefined otherwise. */
  consume(repos: Repositories, code: string, purpose: CodePurpose): Promise<string | undefined> {
    return repos.recovery.consume(secretHash(code), purpose, this.clock.now());
  }

  /** The user a live code belongs to, without using it. */
  async peek(repos: Repositories, code: string, purpose: CodePurpose): Promise<string | undefined> {
    const found = await repos.recovery.find(secretHash(code), purpose);
    return found && found.usedAt === null && found.expiresAt > this.clock.now() ? found.userId : undefined;
  }
}

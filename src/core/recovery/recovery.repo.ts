import type { CodePurpose, OneTimeCode } from './recovery.types.js';

export interface RecoveryRepo {
  insert(code: OneTimeCode): Promise<void>;
  find(codeHash: string, purpose: CodePurpose): Promise<OneTimeCode | undefined>;
  /**
   * Uses the code if it is unused and unexpired, in one atomic step; answers the user id for the
   * one caller that used it, undefined for every other.
   */
  consume(codeHash: string, purpose: CodePurpose, now: number): Promise<string | undefined>;
  /**
   * Kills every live (unused, unexpired) code of this purpose of the user (a new one was sent);
   * answers how many it killed, so the new mail can say that it replaces an earlier one.
   */
  invalidate(userId: string, purpose: CodePurpose, now: number): Promise<number>;
}

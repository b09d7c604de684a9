/**
 * Hashes of passwords a user had before (PASSWORD_HISTORY), newest first. Storage keeps at most
 * the number it is told to keep, so old hashes do not pile up.
 */
export interface PasswordHistoryRepo {
  /** The `limit` most recently replaced hashes of the user, newest first. */
  recent(userId: string, limit: number): Promise<string[]>;
  /** Appends a replaced hash (unless `keep` is 0), then drops all but the newest `keep` entries. */
  record(userId: string, passwordHash: string, now: number, keep: number): Promise<void>;
}

import type { BrowserSessionRecord } from './browser-session.types.js';

export interface BrowserSessionRepo {
  insert(record: BrowserSessionRecord): Promise<void>;
  find(sessionId: string): Promise<BrowserSessionRecord | undefined>;
  /**
   * The server secret named `name`: `candidate` is stored if none exists yet, and whichever value
   * the database holds afterwards is answered, so instances starting at once agree on one.
   */
  ensureServerSecret(name: string, candidate: string, now: number): Promise<string>;
}

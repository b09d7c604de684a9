import type { AuthorizationCodeRecord, ConsentRecord, OidcGrantRecord } from './oidc.types.js';

export interface AuthorizationCodeRepo {
  insert(code: AuthorizationCodeRecord): Promise<void>;
  find(codeHash: string): Promise<AuthorizationCodeRecord | undefined>;
  /**
   * Marks the code used by the session `sessionId` if and only if it was unused: the one atomic
   * step that lets exactly one of any number of concurrent redemptions win. True for the winner.
   */
  redeem(codeHash: string, now: number, sessionId: string): Promise<boolean>;
  /** Records a second presentation; answers the session the first one started, if any. */
  markReused(codeHash: string, now: number): Promise<string | null>;
  /** Forgets codes that expired before `before`; answers how many. */
  deleteExpired(before: number): Promise<number>;
}

export interface ConsentRepo {
  find(userId: string, clientId: string): Promise<ConsentRecord | undefined>;
  /** Inserts or replaces the consent of this user for this client. */
  save(consent: ConsentRecord): Promise<void>;
  /** The user's consents, oldest first. */
  listByUser(userId: string): Promise<ConsentRecord[]>;
  /** Answers whether there was one. */
  delete(userId: string, clientId: string): Promise<boolean>;
}

export interface OidcGrantRepo {
  insert(grant: OidcGrantRecord): Promise<void>;
  find(sessionId: string): Promise<OidcGrantRecord | undefined>;
}

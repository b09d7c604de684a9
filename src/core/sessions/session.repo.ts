import type { Membership } from '../accounts/account.types.js';
import type { User } from '../users/user.types.js';
import type { RefreshTokenRecord, Session } from './session.types.js';

/** What a bearer request checks, read in one statement: the session, its user, the signing key. */
export interface BearerState {
  session: Session;
  user: User;
  /** The token's signing key is still stored (an operator's deletion ends its tokens at once). */
  keyStored: boolean;
}

/** What a refresh checks and issues from, read in one statement: the token, its session, its user (if any) and the user's memberships. */
export interface RefreshState {
  token: RefreshTokenRecord;
  session: Session;
  user: User | undefined;
  /** Ordered by account id; for the new access token's `accounts`. */
  memberships: Membership[];
}

export interface SessionRepo {
  insertSession(session: Session): Promise<void>;
  findSession(id: string): Promise<Session | undefined>;
  /** The session `id` with its user, and whether signing key `kid` is stored; one read. */
  findBearerState(id: string, kid: string): Promise<BearerState | undefined>;
  insertToken(token: RefreshTokenRecord): Promise<void>;
  findTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** The refresh token with this hash, its session, its user and the user's memberships; one read. */
  findRefreshState(tokenHash: string): Promise<RefreshState | undefined>;
  /**
   * Marks the token used if and only if it was unused: the single atomic step that makes
   * concurrent refreshes of one token yield exactly one winner. True for the winner.
   */
  markTokenUsed(tokenId: string, now: number): Promise<boolean>;
  touchSession(id: string, now: number): Promise<void>;
  /** Revokes one family; answers whether it was live before. */
  revokeSession(id: string, now: number, reason: string): Promise<boolean>;
  revokeAllForUser(userId: string, now: number, reason: string): Promise<number>;
  /** Revokes every live session bought with this API key (the key was deleted). */
  revokeAllForApiKey(apiKeyId: string, now: number, reason: string): Promise<number>;
  /** Unrevoked, unexpired families of the user used at or after `activeSince`. */
  listLiveSessions(userId: string, activeSince: number, now: number): Promise<Session[]>;
}

import type { Account, Membership } from './account.types.js';

export interface AccountRepo {
  insert(account: Account): Promise<void>;
  findById(id: string): Promise<Account | undefined>;
  /** Adds or changes a member's role. */
  putMember(membership: Membership): Promise<void>;
  removeMember(accountId: string, userId: string): Promise<boolean>;
  listMemberships(userId: string): Promise<Membership[]>;
}

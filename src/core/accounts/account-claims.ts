import type { AccountClaim } from '../tokens/token.types.js';
import type { AccountRepo } from './account.repo.js';
import type { Membership } from './account.types.js';

/** The one mapping from memberships to the `accounts` claim. */
export function claimsOf(memberships: readonly Membership[]): AccountClaim[] {
  return memberships.map((m) => ({ id: m.accountId, role: m.role }));
}

/**
 * The `accounts` claim of the user's memberships read as they stand now: every token issued sees
 * current memberships (an API-key request reads them with its key: ApiKeyRepo.findByHashWithOwner).
 */
export async function accountClaims(accounts: AccountRepo, userId: string): Promise<AccountClaim[]> {
  return claimsOf(await accounts.listMemberships(userId));
}

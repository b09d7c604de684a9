import type { AccountClaim } from '../tokens/token.types.js';
import type { AccountRepo } from './account.repo.js';

/**
 * The one mapping from memberships to the `accounts` claim, read as they stand now: every token
 * issued and every API-key request sees current memberships.
 */
export async function accountClaims(accounts: AccountRepo, userId: string): Promise<AccountClaim[]> {
  const memberships = await accounts.listMemberships(userId);
  return memberships.map((m) => ({ id: m.accountId, role: m.role }));
}

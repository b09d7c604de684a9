import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { newId } from '../secrets.js';
import { checkRoles } from '../users/roles.js';
import type { Account } from './account.types.js';


/**
 * Accounts (tenants) and their members. Tokens carry `accounts: [{id, role}]` as they stand when
 * the token is issued; re-issuing picks up changes.
 */
export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(name: string): Promise<Account> {
    const trimmed = name.normalize('NFKC').trim();
    if (!trimmed) throw new AuthError('invalid_input', 'name must not be empty', { field: 'name' });
    const account: Account = { id: newId(), name: trimmed, createdAt: this.clock.now() };
    await this.store.accounts.insert(account);
    return account;
  }

  async putMember(accountId: string, userId: string, role: string): Promise<void> {
    checkRoles([role], 'role');
    if (!(await this.store.accounts.findById(accountId))) throw new AuthError('not_found', 'no such account');
    if (!(await this.store.users.findById(userId))) throw new AuthError('not_found', 'no such user');
    await this.store.accounts.putMember({ accountId, userId, role });
  }

  async removeMember(accountId: string, userId: string): Promise<void> {
    if (!(await this.store.accounts.removeMember(accountId, userId))) throw new AuthError('not_found', 'no such member');
  }
}

import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
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
    private readonly audit: AuditService,
  ) {}

  /** Every change is in the audit trail with who made it (the context's actor). */
  private changed(userId: string | null, context: RequestContext, detail: Record<string, unknown>): Promise<void> {
    return this.audit.record('admin.account_changed', { userId, context, detail: { ...detail, actorId: context.actorId } });
  }

  async create(name: string, context: RequestContext): Promise<Account> {
    const trimmed = name.normalize('NFKC').trim();
    if (!trimmed) throw new AuthError('invalid_input', 'name must not be empty', { field: 'name' });
    const account: Account = { id: newId(), name: trimmed, createdAt: this.clock.now() };
    await this.store.accounts.insert(account);
    await this.changed(null, context, { action: 'created', accountId: account.id });
    return account;
  }

  async putMember(accountId: string, userId: string, role: string, context: RequestContext): Promise<void> {
    checkRoles([role], 'role');
    if (!(await this.store.accounts.findById(accountId))) throw new AuthError('not_found', 'no such account');
    if (!(await this.store.users.findById(userId))) throw new AuthError('not_found', 'no such user');
    await this.store.accounts.putMember({ accountId, userId, role });
    await this.changed(userId, context, { action: 'member_put', accountId, role });
  }

  async removeMember(accountId: string, userId: string, context: RequestContext): Promise<void> {
    if (!(await this.store.accounts.removeMember(accountId, userId))) throw new AuthError('not_found', 'no such member');
    await this.changed(userId, context, { action: 'member_removed', accountId });
  }
}

import type { Kysely } from 'kysely';
import type { AccountRepo } from '../../core/accounts/account.repo.js';
import type { Account, Membership } from '../../core/accounts/account.types.js';
import type { Database } from '../schema.js';
import { CompiledOnce, type CompiledTemplates } from './compiled-once.js';
import { num } from './row-mapping.js';

/** The memberships of every token issued: compiled once per database (see compiled-once.ts). */
const membershipsOf = new CompiledOnce((db: Kysely<Database>, userId: string) =>
  db.selectFrom('account_members').selectAll().where('user_id', '=', userId).orderBy('account_id'),
);

/** A membership's columns as a read that left-joins `account_members as m` selects them. */
export const JOINED_MEMBERSHIP_COLUMNS = ['m.account_id as m_account_id', 'm.role as m_role'] as const;

/**
 * The memberships of `userId` in the rows of such a read (a row per membership, ordered by
 * account id): a row whose membership columns are null is the one row of a user without any.
 */
export function joinedMemberships(rows: readonly { m_account_id: string | null; m_role: string | null }[], userId: string): Membership[] {
  return rows.flatMap((r) => (r.m_account_id === null || r.m_role === null ? [] : [{ accountId: r.m_account_id, userId, role: r.m_role }]));
}

export class KyselyAccountRepo implements AccountRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templates: CompiledTemplates,
  ) {}

  async insert(account: Account): Promise<void> {
    await this.db.insertInto('accounts').values({ id: account.id, name: account.name, created_at: account.createdAt }).execute();
  }

  async findById(id: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, name: r.name, createdAt: num(r.created_at) };
  }

  async putMember(m: Membership): Promise<void> {
    await this.db
      .insertInto('account_members')
      .values({ account_id: m.accountId, user_id: m.userId, role: m.role })
      .onConflict((oc) => oc.columns(['account_id', 'user_id']).doUpdateSet({ role: m.role }))
      .execute();
  }

  async removeMember(accountId: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('account_members')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listMemberships(userId: string): Promise<Membership[]> {
    const rows = await membershipsOf.rows(this.db, this.templates, userId);
    return rows.map((r) => ({ accountId: r.account_id, userId: r.user_id, role: r.role }));
  }
}

import { sql, type Kysely, type Selectable } from 'kysely';
import { AuthError } from '../../core/errors.js';
import type { UserPatch, UserRepo } from '../../core/users/user.repo.js';
import type { Address, User } from '../../core/users/user.types.js';
import type { Database, UsersTable } from '../schema.js';
import { CompiledOnce, type CompiledTemplates } from './compiled-once.js';
import { bool, flag, jsonArray, num, numOrNull } from './row-mapping.js';
import { uniqueViolation } from './unique-violation.js';

/** A login's read of the user: compiled once per database (see compiled-once.ts). */
const byUsernameKey = new CompiledOnce((db: Kysely<Database>, usernameKey: string) =>
  db.selectFrom('users').selectAll().where('username_key', '=', usernameKey),
);

/** Every profile read's addresses (seed 002's /v1/user/profile): compiled once per database. */
const addressesOf = new CompiledOnce((db: Kysely<Database>, userId: string) =>
  db.selectFrom('user_addresses').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id'),
);

export class KyselyUserRepo implements UserRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templates: CompiledTemplates,
  ) {}

  async insert(user: User): Promise<void> {
    try {
      await this.db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          username_key: user.usernameKey,
          email: user.email,
          name: user.name,
          locale: user.locale,
          password_hash: user.passwordHash,
          password_changed_at: user.passwordChangedAt,
          password_expires_at: user.passwordExpiresAt,
          roles: JSON.stringify(user.roles),
          email_verified: flag(user.emailVerified),
          terms_accepted: flag(user.termsAccepted),
          locked: flag(user.locked),
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        })
        .execute();
    } catch (error) {
      const index = uniqueViolation(error);
      if (index?.includes('email')) throw new AuthError('email_taken', 'the email address is already in use', { field: 'email' });
      if (index) throw new AuthError('username_taken', 'the username is already taken', { field: 'username' });
      throw error;
    }
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByUsernameKey(usernameKey: string): Promise<User | undefined> {
    const row = await byUsernameKey.first(this.db, this.templates, usernameKey);
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  async update(id: string, patch: UserPatch): Promise<void> {
    const values: Partial<UsersTable> = {};
    if (patch.email !== undefined) values.email = patch.email;
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.locale !== undefined) values.locale = patch.locale;
    if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
    if (patch.passwordChangedAt !== undefined) values.password_changed_at = patch.passwordChangedAt;
    if (patch.passwordExpiresAt !== undefined) values.password_expires_at = patch.passwordExpiresAt;
    if (patch.roles !== undefined) values.roles = JSON.stringify(patch.roles);
    if (patch.emailVerified !== undefined) values.email_verified = flag(patch.emailVerified);
    if (patch.locked !== undefined) values.locked = flag(patch.locked);
    if (patch.updatedAt !== undefined) values.updated_at = patch.updatedAt;
    if (Object.keys(values).length === 0) return;
    try {
      await this.db.updateTable('users').set(values).where('id', '=', id).execute();
    } catch (error) {
      if (uniqueViolation(error)) throw new AuthError('email_taken', 'the email address is already in use', { field: 'email' });
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(filter: { query?: string; limit: number; after?: { createdAt: number; id: string } }): Promise<User[]> {
    let q = this.db.selectFrom('users').selectAll();
    if (filter.query) {
      const pattern = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('username_key', 'like', sql<string>`${pattern} escape '\\'`), eb('email', 'like', sql<string>`${pattern} escape '\\'`)]));
    }
    if (filter.after) {
      const { createdAt, id } = filter.after;
      q = q.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
    }
    const rows = await q.orderBy('created_at').orderBy('id').limit(filter.limit).execute();
    return rows.map(toUser);
  }

  async addAddress(address: Address): Promise<void> {
    await this.db
      .insertInto('user_addresses')
      .values({ id: address.id, user_id: address.userId, address: address.address, type: address.type, created_at: address.createdAt })
      .execute();
  }

  async listAddresses(userId: string): Promise<Address[]> {
    const rows = await addressesOf.rows(this.db, this.templates, userId);
    return rows.map((r) => ({ id: r.id, userId: r.user_id, address: r.address, type: r.type, createdAt: num(r.created_at) }));
  }
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    usernameKey: row.username_key,
    email: row.email,
    name: row.name,
    locale: row.locale,
    passwordHash: row.password_hash,
    passwordChangedAt: num(row.password_changed_at),
    passwordExpiresAt: numOrNull(row.password_expires_at),
    roles: jsonArray(row.roles),
    emailVerified: bool(row.email_verified),
    termsAccepted: bool(row.terms_accepted),
    locked: bool(row.locked),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

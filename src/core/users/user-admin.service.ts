import type { AuditService } from '../audit/audit.service.js';
import type { CredentialService } from '../credentials/credential.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import type { RequestContext } from '../context/request-context.js';
import type { UserPatch } from './user.repo.js';
import type { UserService } from './user.service.js';
import { checkRoles } from './roles.js';
import { tryNormalizeUsername } from './username.js';
import type { RegistrationInput, User } from './user.types.js';

const MAX_PAGE = 100;

export interface AdminUserPatch {
  roles?: string[] | undefined;
  locked?: boolean | undefined;
  emailVerified?: boolean | undefined;
  /** Only `true` is meaningful: expire the password now. */
  passwordExpired?: boolean | undefined;
}


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeCursor(user: User): string {
  return Buffer.from(JSON.stringify([user.createdAt, user.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    // Only what encodeCursor makes: a forged key (a fraction, a bigint out of range, NUL in the id)
    // would fail as a 500 on PostgreSQL where SQLite just compares.
    if (Number.isSafeInteger(createdAt) && typeof id === 'string' && UUID.test(id)) return { createdAt: createdAt as number, id };
  } catch {
    // fall through to the error below
  }
  throw new AuthError('invalid_input', 'cursor is not one this server issued', { field: 'cursor' });
}

/** What operators may do to users: create with roles, search, patch, expire, lock, delete. */
export class UserAdminService {
  constructor(
    private readonly store: Store,
    private readonly users: UserService,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(input: RegistrationInput, context: RequestContext): Promise<User> {
    const user = await this.users.register({ ...input, roles: checkRoles(input.roles ?? []) }, context);
    await this.audit.record('admin.user_created', { userId: user.id, context, detail: { roles: user.roles } });
    return user;
  }

  async list(filter: { query?: string; limit?: number; cursor?: string }): Promise<{ users: User[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 20, 1), MAX_PAGE);
    const users = await this.store.users.list({
      ...(filter.query ? { query: filter.query.normalize('NFKC').trim() } : {}),
      limit: limit + 1,
      ...(filter.cursor ? { after: decodeCursor(filter.cursor) } : {}),
    });
    const page = users.slice(0, limit);
    const last = page[page.length - 1];
    return { users: page, nextCursor: users.length > limit && last ? encodeCursor(last) : null };
  }

  /** A user by username (in any case, as logins match it) or by id (the CLI's references). */
  async find(ref: string): Promise<User | undefined> {
    const normalized = tryNormalizeUsername(ref);
    const byName = normalized ? await this.store.users.findByUsernameKey(normalized.key) : undefined;
    return byName ?? (await this.store.users.findById(ref.trim()));
  }

  /** Whether the user's password has expired (it then buys only the restricted token). */
  passwordExpired(user: User): boolean {
    return this.credentials.isExpired(user);
  }

  async get(id: string): Promise<User> {
    const user = await this.store.users.findById(id);
    if (!user) throw new AuthError('not_found', 'no such user');
    return user;
  }

  /** Applies a patch; locking a user also ends every session of theirs. */
  async patch(id: string, patch: AdminUserPatch, context: RequestContext): Promise<User> {
    await this.get(id);
    const now = this.clock.now();
    const changes: UserPatch = { updatedAt: now };
    if (patch.roles !== undefined) changes.roles = checkRoles(patch.roles);
    if (patch.locked !== undefined) changes.locked = patch.locked;
    if (patch.emailVerified !== undefined) changes.emailVerified = patch.emailVerified;
    if (patch.passwordExpired === true) changes.passwordExpiresAt = now;
    await this.store.transaction(async (tx) => {
      await tx.users.update(id, changes);
      if (patch.locked === true) await tx.sessions.revokeAllForUser(id, now, 'locked');
    });
    if (patch.passwordExpired === true) await this.audit.record('password.expired', { userId: id, context });
    const fields = Object.keys(patch).filter((k) => patch[k as keyof AdminUserPatch] !== undefined);
    await this.audit.record('admin.user_changed', { userId: id, context, detail: { fields } });
    return this.get(id);
  }

  async delete(id: string, context: RequestContext): Promise<void> {
    if (!(await this.store.users.delete(id))) throw new AuthError('not_found', 'no such user');
    await this.audit.record('admin.user_deleted', { userId: id, context });
  }

  /** Expires a password now (CLI and admin API); the next login buys only the restricted token. */
  expirePassword(id: string, context: RequestContext): Promise<void> {
    return this.credentials.expireNow(id, context);
  }
}

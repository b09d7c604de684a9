import type { Address, User } from './user.types.js';

export type UserPatch = Partial<
  Pick<
    User,
    | 'email'
    | 'name'
    | 'locale'
    | 'passwordHash'
    | 'passwordChangedAt'
    | 'passwordExpiresAt'
    | 'roles'
    | 'emailVerified'
    | 'locked'
    | 'updatedAt'
  >
>;

/**
 * Users and their addresses. `insert` throws AuthError `username_taken` / `email_taken` when a
 * unique key is already used, so the check and the write are one atomic step.
 */
export interface UserRepo {
  insert(user: User): Promise<void>;
  findById(id: string): Promise<User | undefined>;
  findByUsernameKey(usernameKey: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  update(id: string, patch: UserPatch): Promise<void>;
  /** Deletes the user and, by cascade, everything that belongs to them. */
  delete(id: string): Promise<boolean>;
  /** Users ordered by (createdAt, id), after the cursor position, matching `query` in username or email. */
  list(filter: { query?: string; limit: number; after?: { createdAt: number; id: string } }): Promise<User[]>;
  addAddress(address: Address): Promise<void>;
  listAddresses(userId: string): Promise<Address[]>;
}

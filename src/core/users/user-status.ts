import { AuthError } from '../errors.js';
import type { User } from './user.types.js';

/**
 * The one rule for "may this user still act": the row exists and is not locked. Every credential
 * check (tokens, API keys, refresh, exchange, login) asks this, so lock and delete end access
 * everywhere at once.
 */
export function isActive(user: User | undefined): user is User {
  return user !== undefined && !user.locked;
}

/**
 * The user a bearer credential speaks for, if still active: a deleted user's credential is no
 * longer valid (401), a locked user's is refused (403), the same on every route.
 */
export function requireActive(user: User | undefined): User {
  if (!user) throw new AuthError('invalid_token', 'the credential belongs to no current user');
  if (!isActive(user)) throw new AuthError('account_locked', 'the account is locked');
  return user;
}

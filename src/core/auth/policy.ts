import { AuthError } from '../errors.js';
import { ADMIN_ROLE } from '../users/roles.js';
import type { Principal } from './principal.js';

/**
 * Everything a credential can be used for. Every protected route names one; `authorize` is the
 * only place that decides which principal may do it.
 */
export type Action =
  /** Read one's own profile, sessions and the like. */
  | 'profile.read'
  /** Change one's own profile (addresses, email verification) or end one's sessions. */
  | 'profile.write'
  /** Create, list and delete API keys. */
  | 'keys.manage'
  /** Change one's password (the one thing the restricted token may do). */
  | 'password.change'
  /** See the presented token decoded (seed 003's tokenInfo). */
  | 'token.inspect'
  /** Ask whether any token is active (RFC 7662 with a bearer token). */
  | 'token.introspect'
  /** The admin API. */
  | 'admin';

/** What an API key, or a token bought with one, may never do: it is a key, not a login. */
const CLOSED_TO_API_KEYS: ReadonlySet<Action> = new Set(['keys.manage', 'password.change', 'admin', 'token.introspect']);

/**
 * Whether an API key (or a token bought with one) may perform `action` at all: the OpenAPI
 * document lists the API key schemes on exactly the operations this allows.
 */
export function apiKeysMay(action: Action): boolean {
  return !CLOSED_TO_API_KEYS.has(action);
}

/** What an OAuth client's own token may do: it is no user, so nothing of a user's. */
const OPEN_TO_CLIENTS: ReadonlySet<Action> = new Set(['token.inspect']);

/**
 * Throws unless `principal` may perform `action`:
 * - the restricted token of an expired password only changes the password (403 with
 *   `passwordExpired`), and the password change takes nothing else from an expired password;
 * - an API key (or a token bought with one) cannot manage keys, change a password, introspect or
 *   call the admin API;
 * - an OAuth client's token only inspects itself;
 * - admin and introspection need the admin role in the token and in the user's current roles, so
 *   a demoted admin loses them at once.
 */
export function authorize(principal: Principal, action: Action): void {
  if (principal.subject === 'client') {
    if (OPEN_TO_CLIENTS.has(action)) return;
    throw new AuthError('forbidden', 'an OAuth client token cannot be used for this operation');
  }
  if (principal.credential === 'restricted' && action !== 'password.change') {
    throw new AuthError('password_expired', 'the password has expired; change it with POST /v1/user/password/change');
  }
  if (principal.viaApiKey && CLOSED_TO_API_KEYS.has(action)) {
    throw new AuthError('forbidden', 'an API key cannot be used for this operation; use a token from a login');
  }
  if ((action === 'admin' || action === 'token.introspect') && !(principal.roles.includes(ADMIN_ROLE) && principal.user.roles.includes(ADMIN_ROLE))) {
    throw new AuthError('forbidden', 'the admin role is required');
  }
}

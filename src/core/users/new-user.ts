/**
 * The one place a user record is made: registration, the admin API, the CLI importer and the
 * external-identity linker all build their users here, so the username, email, name and role
 * rules cannot drift apart between them.
 */
import { AuthError } from '../errors.js';
import { newId } from '../secrets.js';
import { checkRoles } from './roles.js';
import { EXTERNAL_USERNAME_PREFIX, isReservedUsername, looksLikeEmail, normalizeEmail, normalizeUsername } from './username.js';
import type { User } from './user.types.js';

const MAX_NAME_LENGTH = 200;
/** `ext:` + an issuer id (36) + `:` + a `sub` of at most 255 characters (OpenID Connect Core 2). */
export const MAX_EXTERNAL_SUBJECT_LENGTH = 255;
const MAX_EXTERNAL_USERNAME_LENGTH = EXTERNAL_USERNAME_PREFIX.length + 37 + MAX_EXTERNAL_SUBJECT_LENGTH;
/** C0/C1 controls (NUL included) and lone surrogates: PostgreSQL refuses or rewrites them. */
const NOT_PLAIN = /[\p{Cc}\p{Cs}]/u;
/** In a name, line breaks and tabs are kept (an imported name may span lines). */
const NOT_PLAIN_NAME = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u;

/**
 * True for a string of 1..maxLength characters with no control character and no lone surrogate:
 * text every backend stores exactly as given. Values that reach a query without a schema (a
 * JWT's unverified `iss`, an external `sub`, a `jti`) are checked with it first, so PostgreSQL
 * answers like SQLite instead of failing on a NUL byte.
 */
export function isPlainText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && !NOT_PLAIN.test(value);
}

/**
 * The password hash of a user without a password (an external identity's). Like `!` in a Unix
 * shadow file, a leading `!` is no hash format: such a hash never verifies.
 */
export const NO_PASSWORD = '!external';

/**
 * False for a user without a password: a password login must then cost the same dummy verify as
 * an unknown user, or the fast refusal tells that the username exists.
 */
export function hasPassword(user: Pick<User, 'passwordHash'>): boolean {
  return !user.passwordHash.startsWith('!');
}

/** The username of the local user of (issuer, sub): exact, so `Bob` and `bob` are two users. */
export function externalUsername(issuerId: string, subject: string): string {
  return `${EXTERNAL_USERNAME_PREFIX}${issuerId}:${subject}`;
}

export interface NewUserFields {
  username: string;
  email?: string | undefined;
  name?: string | undefined;
  locale?: string | undefined;
  roles?: readonly string[] | undefined;
  termsAccepted?: boolean | undefined;
}

export interface NewUserOptions {
  /**
   * An external identity's user (made by the issuer linker): the username must carry the
   * reserved `ext:` prefix and is kept exactly (no trim, NFKC or case folding), since an
   * issuer's `sub` is case-sensitive. Without it the prefix is refused.
   */
  external?: boolean;
}

/** A new user's checked fields, before its password is hashed (the policy needs the username). */
export type UserDraft = Pick<User, 'username' | 'usernameKey' | 'email' | 'name' | 'locale' | 'roles' | 'termsAccepted'>;

function username(raw: string, external: boolean): { display: string; key: string } {
  if (!external) {
    const normalized = normalizeUsername(raw);
    if (isReservedUsername(normalized.key)) {
      throw new AuthError('invalid_input', `usernames starting with "${EXTERNAL_USERNAME_PREFIX}" are reserved for external identities`, { field: 'username' });
    }
    return normalized;
  }
  if (!raw.startsWith(EXTERNAL_USERNAME_PREFIX) || !isPlainText(raw, MAX_EXTERNAL_USERNAME_LENGTH)) {
    throw new AuthError('invalid_input', 'not an external identity username', { field: 'username' });
  }
  return { display: raw, key: raw };
}

function name(raw: string | undefined): string | null {
  const value = raw?.normalize('NFKC').trim();
  if (!value) return null;
  if (value.length > MAX_NAME_LENGTH || NOT_PLAIN_NAME.test(value)) {
    throw new AuthError('invalid_input', `name must be at most ${MAX_NAME_LENGTH} characters without control characters`, { field: 'name' });
  }
  return value;
}

/**
 * Validates and normalizes what a new user is made of; throws `invalid_input` naming the field.
 * A username that is an email address doubles as the email when none is given.
 */
export function draftUser(fields: NewUserFields, options: NewUserOptions = {}): UserDraft {
  const { display, key } = username(fields.username, options.external === true);
  const email =
    fields.email !== undefined ? normalizeEmail(fields.email) : !options.external && looksLikeEmail(display) ? normalizeEmail(display, 'username') : null;
  return {
    username: display,
    usernameKey: key,
    email,
    name: name(fields.name),
    locale: fields.locale ?? null,
    roles: checkRoles(fields.roles ?? []),
    termsAccepted: fields.termsAccepted ?? false,
  };
}

/** The user record of a draft with its password hash (or a non-hash for users without one). */
export function buildUser(draft: UserDraft, password: { hash: string; expiresAt: number | null }, now: number): User {
  return {
    id: newId(),
    ...draft,
    passwordHash: password.hash,
    passwordChangedAt: now,
    passwordExpiresAt: password.expiresAt,
    emailVerified: false,
    locked: false,
    createdAt: now,
    updatedAt: now,
  };
}

import { AuthError } from '../errors.js';

/** Control characters, format characters (zero-width joiners, BOM, bidi overrides) and NUL. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;
const MAX_LENGTH = 254;

/** Users linked from a trusted issuer are named `ext:<issuer>:<subject>`; nobody may register one. */
export const EXTERNAL_USERNAME_PREFIX = 'ext:';

export function isReservedUsername(key: string): boolean {
  return key.startsWith(EXTERNAL_USERNAME_PREFIX);
}

export interface NormalizedUsername {
  display: string;
  key: string;
}

/**
 * Usernames are trimmed and NFKC-normalized for display, and compared by a case-folded key, so
 * that `Alice`, `ALICE` and the full-width `Ａｌｉｃｅ` are one user.
 */
export function normalizeUsername(raw: string): NormalizedUsername {
  const display = raw.normalize('NFKC').trim();
  if (display.length === 0) {
    throw new AuthError('invalid_input', 'username must not be empty', { field: 'username' });
  }
  if (FORBIDDEN.test(display)) {
    throw new AuthError('invalid_input', 'username contains control or invisible characters', {
      field: 'username',
    });
  }
  if ([...display].length > MAX_LENGTH) {
    throw new AuthError('invalid_input', `username must be at most ${MAX_LENGTH} characters`, {
      field: 'username',
    });
  }
  return { display, key: usernameKey(display) };
}

/** The lookup key of an already-valid username. */
export function usernameKey(display: string): string {
  return display.toLowerCase().normalize('NFKC');
}

/** Like normalizeUsername, but answers undefined instead of throwing: for logins. */
export function tryNormalizeUsername(raw: string): NormalizedUsername | undefined {
  try {
    return normalizeUsername(raw);
  } catch {
    return undefined;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

export function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Emails are trimmed, NFKC-normalized and lower-cased: one address, one spelling. */
export function normalizeEmail(raw: string, field = 'email'): string {
  const email = raw.normalize('NFKC').trim();
  if (!looksLikeEmail(email) || FORBIDDEN.test(email) || email.length > MAX_LENGTH) {
    throw new AuthError('invalid_input', 'email must be a valid email address', { field });
  }
  return email.toLowerCase();
}

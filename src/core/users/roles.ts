import { AuthError } from '../errors.js';

/** A role: a lower-case identifier (`admin`, `billing.read`, `tenant:owner`). One rule everywhere. */
export const ROLE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;

/** Validates and de-duplicates roles; throws `invalid_input` naming `field`. */
export function checkRoles(roles: readonly string[], field = 'roles'): string[] {
  const bad = roles.find((r) => !ROLE_PATTERN.test(r));
  if (bad !== undefined) throw new AuthError('invalid_input', `role "${bad}" is not a lower-case identifier`, { field });
  return [...new Set(roles)];
}

/** The role that opens the admin API and bearer introspection (core/auth/policy.ts). */
export const ADMIN_ROLE = 'admin';

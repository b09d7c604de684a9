import type { User } from '../users/user.types.js';

/** The scopes Tessera answers: OpenID Connect Core section 5.4's that map to claims it has. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export type OidcScope = (typeof OIDC_SCOPES)[number];

export function isOidcScope(value: string): value is OidcScope {
  return (OIDC_SCOPES as readonly string[]).includes(value);
}

/** The claims each scope releases (at /oauth2/userinfo), only those a user record can fill. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  offline_access: [],
} as const satisfies Record<OidcScope, readonly string[]>;

/** Every claim Tessera may release, for discovery's `claims_supported`. */
export const SUPPORTED_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'sid', 'at_hash', 'azp', ...SCOPE_CLAIMS.profile, ...SCOPE_CLAIMS.email];

/** A space-separated scope parameter as a set of distinct names (RFC 6749 section 3.3). */
export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((s) => s.length > 0))];
}

/** Standard claims (OpenID Connect Core 5.1) a user record can fill. */
export interface UserClaims {
  sub: string;
  name?: string;
  preferred_username?: string;
  locale?: string;
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
}

/**
 * The claims of `user` that `scopes` release. A claim without a value is left out rather than
 * sent as null (OpenID Connect Core section 5.3.2).
 */
export function claimsFor(user: User, scopes: readonly string[]): UserClaims {
  const claims: UserClaims = { sub: user.id };
  if (scopes.includes('profile')) {
    if (user.name !== null) claims.name = user.name;
    claims.preferred_username = user.username;
    if (user.locale !== null) claims.locale = user.locale;
    claims.updated_at = Math.floor(user.updatedAt / 1000);
  }
  if (scopes.includes('email') && user.email !== null) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}

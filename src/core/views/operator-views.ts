/**
 * Users, OAuth clients and signing keys as operators see them, through the admin API
 * (`/v1/admin/*`) and the CLI's JSON (`tessera ... --json`) alike: one vocabulary (camelCase, the
 * admin API's), one date-time precision (seconds), and never a secret (no password hash, no client
 * secret hash, no key material). Here, in the core, because both the admin surface and the CLI may
 * import the core and neither may import the other. Each caller says how to write a date-time: the
 * admin API in the request's `X-nugios-timezone` offset, the CLI in UTC (`utcDateTime`).
 */
import type { OAuthClient } from '../clients/client.types.js';
import type { SigningKeySummary } from '../signing-keys/signing-key.service.js';
import type { User } from '../users/user.types.js';

/** Epoch milliseconds as an ISO 8601 date-time to the second, in the caller's offset. */
export type DateTimeText = (epochMs: number) => string;

/** ISO 8601 in UTC, to the second (`2024-06-15T18:30:00Z`): what every JSON answer sends without an offset. */
export const utcDateTime: DateTimeText = (epochMs) => `${new Date(epochMs).toISOString().slice(0, 19)}Z`;

/** A user: every field but the password hash. `passwordExpired` is the core's verdict at this moment. */
export function userView(user: User, passwordExpired: boolean, time: DateTimeText) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    name: user.name,
    locale: user.locale,
    roles: user.roles,
    emailVerified: user.emailVerified,
    locked: user.locked,
    termsAccepted: user.termsAccepted,
    passwordExpired,
    passwordExpiresAt: user.passwordExpiresAt === null ? null : time(user.passwordExpiresAt),
    createdAt: time(user.createdAt),
    updatedAt: time(user.updatedAt),
  };
}

export type UserView = ReturnType<typeof userView>;

/** An OAuth client without its secret hash: the only form a client leaves the server in. */
export function clientView(client: OAuthClient, time: DateTimeText) {
  return {
    clientId: client.id,
    name: client.name,
    grantTypes: client.grantTypes,
    roles: client.roles,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    scopes: client.scopes,
    consentRequired: client.consentRequired,
    createdAt: time(client.createdAt),
  };
}

/** A client just registered: the one answer that carries its secret (a public client has none). */
export function registeredClientView(client: OAuthClient, clientSecret: string | undefined, time: DateTimeText) {
  return { ...clientView(client, time), ...(clientSecret === undefined ? {} : { clientSecret }) };
}

/** A signing key without key material. */
export function signingKeyView(key: SigningKeySummary, time: DateTimeText) {
  return {
    kid: key.kid,
    alg: key.alg,
    createdAt: time(key.createdAt),
    retiredAt: key.retiredAt === null ? null : time(key.retiredAt),
    current: key.current,
    encrypted: key.encrypted,
  };
}

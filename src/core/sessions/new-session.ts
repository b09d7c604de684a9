import type { RequestContext } from '../context/request-context.js';
import { newId } from '../secrets.js';
import type { User } from '../users/user.types.js';
import type { Session } from './session.types.js';

/** Who starts a session: the OAuth client or first-party surface, and the API key that paid. */
export interface SessionOrigin {
  clientId: string;
  apiKeyId?: string | undefined;
}

/**
 * The one way a session row is made, for API logins and browser sign-ins alike: live, used now,
 * with the caller's address and user agent (cut to 512 characters) and its absolute end.
 */
export function newSession(user: User, context: RequestContext, origin: SessionOrigin, now: number, expiresAt: number): Session {
  return {
    id: newId(),
    userId: user.id,
    client: origin.clientId,
    ip: context.ip ?? null,
    userAgent: context.userAgent?.slice(0, 512) ?? null,
    createdAt: now,
    lastUsedAt: now,
    revokedAt: null,
    revokedReason: null,
    expiresAt,
    apiKeyId: origin.apiKeyId ?? null,
  };
}

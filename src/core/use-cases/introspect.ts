import { decodeJwt } from 'jose';
import { looksLikeApiKey } from '../api-keys/api-key.service.js';
import type { Authenticator } from '../auth/authenticator.js';
import { isAuthError } from '../errors.js';
import type { SessionService } from '../sessions/session.service.js';

/** RFC 7662's answer: `{active: false}` and nothing else for anything not active. */
export type Introspection = { active: false } | ({ active: true; token_type: string } & Record<string, unknown>);

/**
 * `POST /oauth2/introspect`: is this token active? Access tokens and API keys are judged by the
 * same authenticator as every route (so a locked or deleted user, an ended session or a deleted
 * client is `active: false` here exactly when the routes refuse it); refresh tokens by their
 * family. The caller's right to ask is checked before (a client, or policy `token.introspect`).
 */
export class Introspect {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly sessions: SessionService,
    private readonly issuer: string,
  ) {}

  async introspect(token: string): Promise<Introspection> {
    if (looksLikeApiKey(token) || token.split('.').length === 3) return this.credential(token);
    const refresh = await this.sessions.describe(token);
    if (!refresh.active) return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      sub: refresh.userId,
      sid: refresh.sessionId,
      iss: this.issuer,
      iat: Math.floor(refresh.issuedAt / 1000),
      exp: Math.floor(refresh.expiresAt / 1000),
    };
  }

  private async credential(token: string): Promise<Introspection> {
    let principal;
    try {
      principal = await this.authenticator.verify(token);
    } catch (error) {
      if (isAuthError(error)) return { active: false };
      throw error;
    }
    if (principal.credential === 'api_key') {
      return { active: true, token_type: 'api_key', sub: principal.userId, username: principal.user.username };
    }
    const payload = decodeJwt(token);
    return { ...payload, active: true, token_type: 'Bearer', ...(principal.subject === 'user' ? { username: principal.user.username } : {}) };
  }
}

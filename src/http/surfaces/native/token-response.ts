import type { TokenPair } from '../../../core/sessions/session.service.js';

/** Seed 002's token answer (`expires_in` added, as OAuth clients expect it). */
export function tokenResponse(pair: TokenPair) {
  return {
    access_token: pair.access.token,
    refresh_token: pair.refreshToken,
    token_type: 'Bearer' as const,
    expires_in: pair.access.expiresIn,
  };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../../core/errors.js';
import type { Principal } from '../../core/tokens/token.types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAuth` once the credential is verified. */
    principal: Principal | undefined;
  }
}

/** Gives every request a `principal` slot (undefined until requireAuth fills it). */
export function registerPrincipal(app: FastifyInstance): void {
  app.decorateRequest('principal', undefined);
}

/** Anything that turns a presented credential into a principal (the core's token verifier). */
export interface CredentialVerifier {
  verify(token: string): Promise<Principal>;
}

const BARE_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The credential a request presents: `Authorization: Bearer <token or key>`,
 * `Authorization: ApiKey <key>`, `X-API-Key: <key>`, or a bare `Authorization: <jwt>` as seed 001
 * shows.
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim();
  if (header) {
    const scheme = /^(Bearer|ApiKey)\s+(\S+)$/i.exec(header);
    if (scheme) return scheme[2];
    if (BARE_JWT.test(header)) return header;
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : undefined;
}

export interface AuthOptions {
  /** Accept the restricted token of an expired password (only the password-change route does). */
  allowRestricted?: boolean;
  /** false: API keys may not call this route (key management, password change, admin). */
  allowApiKey?: boolean;
}

/**
 * A preHandler that requires a valid credential. A restricted token on any other route is a 403
 * carrying `passwordExpired: true`; an API key on a route closed to keys is a 403 too.
 */
export function requireAuth(verifier: CredentialVerifier, options: AuthOptions = {}) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = presentedToken(request);
    if (!token) throw new AuthError('credentials_required', 'a bearer token or API key is required');
    const principal = await verifier.verify(token);
    if (principal.passwordExpired && !options.allowRestricted) {
      throw new AuthError('password_expired', 'the password has expired; change it with POST /v1/user/password/change');
    }
    if (principal.via === 'api_key' && options.allowApiKey === false) {
      throw new AuthError('forbidden', 'an API key cannot be used for this operation; use a token from a login');
    }
    request.principal = principal;
  };
}

/** The principal of an authenticated route (requireAuth ran before the handler). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AuthError('credentials_required', 'a bearer token is required');
  return request.principal;
}

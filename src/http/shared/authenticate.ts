import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { looksLikeApiKey } from '../../core/api-keys/api-key.service.js';
import { authorize, type Action } from '../../core/auth/policy.js';
import type { Principal, UserPrincipal } from '../../core/auth/principal.js';
import { AuthError } from '../../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAuth` once the credential is verified and the action authorized. */
    principal: Principal | undefined;
  }
}

/** Gives every request a `principal` slot (undefined until requireAuth fills it). */
export function registerPrincipal(app: FastifyInstance): void {
  app.decorateRequest('principal', undefined);
}

/** The core's entry point that turns a presented credential into a principal. */
export interface CredentialVerifier {
  authenticate(credential: string): Promise<Principal>;
}

const BARE_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The credential a request presents: `Authorization: Bearer <token or key>`,
 * `Authorization: ApiKey <key>`, `X-API-Key: <key>`, or a bare `Authorization: <jwt>` or
 * `Authorization: <key>` as seed 001 shows ("Authorization: <token>", no scheme). A bare value is
 * taken only in the exact form of a JWT (three base64url parts) or of a Tessera API key (`tsk_`
 * and 32 base64url characters), neither of which has a space, so it cannot be mistaken for a
 * scheme (`Basic ...`, `Bearer ...`) or a scheme for it.
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim();
  if (header) {
    const scheme = /^(Bearer|ApiKey)\s+(\S+)$/i.exec(header);
    if (scheme) return scheme[2];
    if (BARE_JWT.test(header) || looksLikeApiKey(header)) return header;
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : undefined;
}

/** Verifies the presented credential and authorizes `action` with the core's one policy. */
export async function authenticateFor(core: CredentialVerifier, request: FastifyRequest, action: Action): Promise<Principal> {
  const token = presentedToken(request);
  if (!token) throw new AuthError('credentials_required', 'a bearer token or API key is required');
  const principal = await core.authenticate(token);
  authorize(principal, action);
  request.principal = principal;
  return principal;
}

/** The action of each guard requireAuth made: the OpenAPI document derives a route's security from it. */
const guardActions = new WeakMap<object, Action>();

/** A preHandler for a route that performs `action`: every protected route names its action. */
export function requireAuth(core: CredentialVerifier, action: Action) {
  const guard = async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    await authenticateFor(core, request, action);
  };
  guardActions.set(guard, action);
  return guard;
}

/** The action `hook` authorizes when it is a guard made by {@link requireAuth}, else undefined. */
export function guardedAction(hook: unknown): Action | undefined {
  return typeof hook === 'function' ? guardActions.get(hook) : undefined;
}

/** The principal of an authenticated route (requireAuth ran before the handler). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AuthError('credentials_required', 'a bearer token is required');
  return request.principal;
}

/**
 * The user principal of a route whose action only users may perform: requireAuth already ran the
 * policy, which refuses OAuth clients every such action, so this only narrows the type.
 */
export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = principalOf(request);
  if (principal.subject !== 'user') throw new AuthError('forbidden', 'this operation needs a user');
  return principal;
}

import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthError, AuthErrorCode } from '../../../core/errors.js';
import type { Problem } from '../../shared/problem.js';
import { usesBasic } from './client-auth.js';

/**
 * RFC 6749 section 5.2 error codes (plus RFC 6750/7662 ones) and the status for each core error.
 * `invalid_client` is a 400 here: {@link renderOAuthError} makes it the 401 with a Basic challenge
 * when, and only when, the client tried HTTP Basic.
 */
export const oauthErrors = {
  invalid_input: { status: 400, error: 'invalid_request' },
  username_taken: { status: 400, error: 'invalid_request' },
  email_taken: { status: 400, error: 'invalid_request' },
  password_rejected: { status: 400, error: 'invalid_request' },
  invalid_credentials: { status: 400, error: 'invalid_grant' },
  account_locked: { status: 400, error: 'invalid_grant' },
  password_expired: { status: 400, error: 'invalid_grant' },
  invalid_token: { status: 400, error: 'invalid_grant' },
  credentials_required: { status: 400, error: 'invalid_client' },
  forbidden: { status: 403, error: 'access_denied' },
  refresh_token_invalid: { status: 400, error: 'invalid_grant' },
  refresh_token_reused: { status: 400, error: 'invalid_grant' },
  reset_code_invalid: { status: 400, error: 'invalid_grant' },
  reset_token_invalid: { status: 400, error: 'invalid_grant' },
  not_found: { status: 400, error: 'invalid_request' },
  invalid_client: { status: 400, error: 'invalid_client' },
  unauthorized_client: { status: 400, error: 'unauthorized_client' },
  rate_limited: { status: 429, error: 'slow_down' },
  unavailable: { status: 503, error: 'temporarily_unavailable' },
} as const satisfies Record<AuthErrorCode, { status: number; error: string }>;

/**
 * A route `response` entry for an error these endpoints answer in RFC 6749's shape
 * (application/json `{error, error_description}`); `description` becomes the OpenAPI answer's.
 */
export function oauthErrorAnswer(description: string) {
  return Type.Object({ error: Type.String(), error_description: Type.String() }, { description });
}

/** Every route here may refuse a body over the form limit. */
export const TOO_LARGE = oauthErrorAnswer('Content Too Large: the body is over 64 KiB (invalid_request)');

/**
 * The Basic challenge for a client that tried HTTP Basic and failed (RFC 6749 section 5.2: a 401
 * with a challenge of the scheme it used). It names the error too, so a library that stops at the
 * challenge (oauth4webapi's WWWAuthenticateChallengeError) still learns it was `invalid_client`.
 */
export const BASIC_CHALLENGE = 'Basic realm="tessera", charset="UTF-8", error="invalid_client"';

export function sendOAuthError(reply: FastifyReply, status: number, error: string, description: string, challenge?: string): FastifyReply {
  if (challenge !== undefined) void reply.header('www-authenticate', challenge);
  if ((status === 503 || status === 429) && !reply.hasHeader('retry-after')) void reply.header('retry-after', '5');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error, error_description: description }));
}

/**
 * Core errors in the OAuth shape `{error, error_description}`. `invalid_client` after HTTP Basic
 * is a 401 with the Basic challenge; without Basic it is a 400 with no challenge (a 401 must carry
 * one, RFC 9110 section 15.5.2, and a Basic challenge would send a client_secret_post client, or
 * openid-client, down the wrong path).
 */
export function renderOAuthError(error: AuthError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, error: code } = oauthErrors[error.code];
  if (typeof error.extra.retryAfter === 'number') void reply.header('retry-after', String(error.extra.retryAfter));
  if (code === 'invalid_client' && usesBasic(request)) return sendOAuthError(reply, 401, code, error.message, BASIC_CHALLENGE);
  return sendOAuthError(reply, status, code, error.message);
}

/**
 * What the shared error handler finds before or outside the endpoint (a body that cannot be read,
 * too large or of the wrong type, the database gone), in the OAuth shape too. A wrong content type
 * is RFC 6749's malformed request: 400 `invalid_request`, not 415 (docs/decisions.md); a body over
 * the limit keeps its 413, the database its 503 `temporarily_unavailable` with Retry-After.
 */
export function sendProblemAsOAuth(reply: FastifyReply, problem: Problem): FastifyReply {
  const status = problem.status === 415 ? 400 : problem.status;
  const error = status === 503 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : status === 429 ? 'slow_down' : 'invalid_request';
  return sendOAuthError(reply, status, error, problem.detail);
}

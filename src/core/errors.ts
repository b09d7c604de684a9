/**
 * The closed set of failures the core can report. Every surface maps each code to its own wire
 * shape (`satisfies Record<AuthErrorCode, ...>`), so adding a code here does not compile until
 * every surface knows how to render it.
 */
export type AuthErrorCode =
  | 'invalid_input'
  | 'username_taken'
  | 'email_taken'
  | 'password_rejected'
  | 'invalid_credentials'
  | 'account_locked'
  | 'password_expired'
  | 'invalid_token'
  /** No credential was presented at all (RFC 6750 section 3.1: no error attribute then). */
  | 'credentials_required'
  | 'forbidden'
  | 'refresh_token_invalid'
  | 'refresh_token_reused'
  | 'reset_code_invalid'
  | 'reset_token_invalid'
  | 'not_found'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'rate_limited'
  | 'unavailable';

export interface AuthErrorOptions {
  /** The request field the error is about, for validation-style answers. */
  field?: string;
  /** Extra members a surface may render (never a secret unless the surface is meant to return it). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type the core throws. `message` is safe to show to a client. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly field: string | undefined;
  readonly extra: Record<string, unknown>;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options: AuthErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
    this.extra = options.extra ?? {};
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}

import type { AuthError, AuthErrorCode } from '../../core/errors.js';
import { problem, type Problem } from './problem.js';

/** How the RFC 9457 surfaces (native /v1, admin, standard) render each core error. */
export const problemStatus = {
  invalid_input: { status: 400, title: 'Bad Request' },
  username_taken: { status: 409, title: 'Conflict' },
  email_taken: { status: 409, title: 'Conflict' },
  password_rejected: { status: 400, title: 'Bad Request' },
  invalid_credentials: { status: 401, title: 'Unauthorized' },
  account_locked: { status: 403, title: 'Forbidden' },
  password_expired: { status: 403, title: 'Password Expired' },
  invalid_token: { status: 401, title: 'Unauthorized' },
  credentials_required: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  refresh_token_invalid: { status: 401, title: 'Unauthorized' },
  refresh_token_reused: { status: 401, title: 'Unauthorized' },
  reset_code_invalid: { status: 400, title: 'Bad Request' },
  reset_token_invalid: { status: 400, title: 'Bad Request' },
  not_found: { status: 404, title: 'Not Found' },
  invalid_client: { status: 401, title: 'Unauthorized' },
  unauthorized_client: { status: 403, title: 'Forbidden' },
  rate_limited: { status: 429, title: 'Too Many Requests' },
  unavailable: { status: 503, title: 'Service Unavailable' },
} as const satisfies Record<AuthErrorCode, { status: number; title: string }>;

/** The problem document for a core error: the core's safe message, field and extra members. */
export function authErrorProblem(error: AuthError): Problem {
  const { status, title } = problemStatus[error.code];
  const extra: Record<string, unknown> = { ...error.extra };
  if (error.field) extra.errors = [{ field: error.field, message: error.message }];
  if (error.code === 'password_expired') extra.passwordExpired = true;
  return problem(status, error.code, title, error.message, extra);
}

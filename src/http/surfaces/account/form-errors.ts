import type { FastifyReply } from 'fastify';
import { isAuthError } from '../../../core/errors.js';
import type { Strings } from '../../shared/pages/strings/index.js';

/** A refusal a form shows beside itself (the visitor corrects and sends again): status and text. */
export interface FormError {
  status: number;
  message: (t: Strings) => string;
}

/**
 * The core errors a sign-in or password form answers with the same form and a sentence; any
 * other error goes to the pages' error page. A wrong username and a wrong password read the same
 * (the core already makes them cost the same), and a throttled form says when to try again.
 */
export function formError(error: unknown, reply: FastifyReply): FormError | undefined {
  if (!isAuthError(error)) return undefined;
  switch (error.code) {
    case 'invalid_credentials':
      return { status: 401, message: (t) => t.signin.invalid };
    case 'rate_limited': {
      const retryAfter = error.extra.retryAfter;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      return { status: 429, message: (t) => t.errors.tooMany };
    }
    case 'password_rejected':
      // the core's sentence says which rule (too short, too common, used before)
      return { status: 400, message: (t) => t.account.rejected(error.message) };
    default:
      return undefined;
  }
}

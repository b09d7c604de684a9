import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAuthError } from '../../../core/errors.js';
import { errorHandler } from '../error-handler.js';
import type { Problem } from '../problem.js';
import { authErrorProblem } from '../problem-map.js';
import { errorText, isPageError, kindOfStatus, type PageErrorKind } from './page-error.js';
import type { PageKit } from './page-kit.js';

/**
 * The error handler of a surface that serves HTML: every failure is an HTML page with the right
 * status, in the visitor's language, never JSON, a stack trace or the input. A PageError says its
 * own status; anything else is classified by the API's error handler (so a bad form body is a
 * 400, an unreachable database a 503, a bug a logged 500) and shown as that status's page.
 */
export function pageErrorHandler(kit: PageKit) {
  const classify = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): Problem => {
    let found: Problem | undefined;
    errorHandler(
      (authError, _request, r) => {
        found = authErrorProblem(authError);
        return r;
      },
      (r, problem) => {
        found = problem;
        return r;
      },
    )(error, request, reply);
    return found!;
  };
  return async function handlePageError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): Promise<string> {
    let status: number;
    let kind: PageErrorKind;
    if (isPageError(error)) {
      status = error.status;
      kind = error.kind;
    } else {
      status = classify(error, request, reply).status;
      kind = kindOfStatus(status);
    }
    if (status === 429 || status === 503) {
      // The core's own wait when it names one (a throttle), else a minute.
      const wait = isAuthError(error) && typeof error.extra.retryAfter === 'number' ? error.extra.retryAfter : 60;
      void reply.header('retry-after', String(wait));
    }
    void reply.code(status).header('cache-control', 'no-store');
    return kit.render(request, reply, 'error', (t) => {
      const text = errorText(t, kind);
      return { title: text.title, message: text.message, reloadable: kind === 'csrf' };
    });
  };
}

import type { FastifyRequest } from 'fastify';
import { CSRF_FIELD } from './csrf.js';
import type { PageKit } from './page-kit.js';

/** What a form's CSRF token is bound to: '' without a session, the browser session's id with one. */
export type CsrfBinding = (request: FastifyRequest) => string | Promise<string>;

/**
 * The `preValidation` hook of every state-changing page route: refuses (403 page) a request from
 * another origin or without the token its form was rendered with, before the handler or the
 * body's schema look at anything. `binding` must match the one the form was rendered with.
 *
 *     app.post('/reset', { preValidation: csrfGuard(kit), schema: { body } }, handler)
 */
export function csrfGuard(kit: PageKit, binding: CsrfBinding = () => '') {
  return async function checkCsrf(request: FastifyRequest): Promise<void> {
    const body = request.body as Record<string, unknown> | undefined;
    kit.csrf.check(request, body?.[CSRF_FIELD], await binding(request));
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageKit } from '../../shared/pages/page-kit.js';

/** A request that cannot be answered with a redirect: a page, status 400, saying why. */
export function errorPage(pages: PageKit, request: FastifyRequest, reply: FastifyReply, error: string, description: string) {
  void reply.code(400);
  return pages.render(request, reply, 'oidc/error', (t) => ({ title: t.oidc.errorTitle, error, description }));
}

/**
 * Back to the client after a form: a page whose link assets/oidc.js follows at once (the pages'
 * CSP, `form-action 'self'`, would stop a form's redirect to the client's origin).
 */
export function continueTo(pages: PageKit, request: FastifyRequest, reply: FastifyReply, url: string) {
  return pages.render(request, reply, 'oidc/continue', (t) => ({ title: t.oidc.continueTitle, url }));
}

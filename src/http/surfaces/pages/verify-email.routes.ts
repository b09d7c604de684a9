import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAuthError } from '../../../core/errors.js';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { CodeParams, ConfirmForm } from './schemas.js';

/**
 * /verify-email/{code}, the page the verification mail links to. GET shows a button and verifies
 * nothing: mail scanners and link previews open every link in a mail, so a GET that consumed the
 * code would verify addresses nobody read, or burn the link before its owner clicks it. POST (the
 * button, behind the CSRF checks) verifies through the same core use case as the API.
 */
export const verifyEmailRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  const invalid = (request: FastifyRequest, reply: FastifyReply) =>
    pages.render(request, reply.code(410), 'verify/invalid', (t) => ({ title: t.verify.invalidTitle }));

  app.get('/verify-email/:code', { schema: { hide: true, params: CodeParams } }, async (request, reply) => {
    const holder = await core.emailVerification.check(request.params.code);
    if (!holder) return invalid(request, reply);
    const action = `/verify-email/${encodeURIComponent(request.params.code)}`;
    return pages.render(request, reply, 'verify/confirm', (t) => ({ title: t.verify.title, action }), { locale: holder.locale });
  });

  app.post('/verify-email/:code', { schema: { hide: true, params: CodeParams, body: ConfirmForm }, preValidation: csrfGuard(pages) }, async (request, reply) => {
    try {
      await core.emailVerification.verify(request.params.code);
    } catch (error) {
      if (isAuthError(error) && error.code === 'reset_code_invalid') return invalid(request, reply);
      throw error;
    }
    return pages.render(request, reply, 'verify/done', (t) => ({ title: t.verify.doneTitle }));
  });
};

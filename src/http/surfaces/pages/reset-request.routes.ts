import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import { contextOf } from '../../shared/request-context.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { ResetRequestForm } from './schemas.js';

/**
 * /reset: ask for a reset mail by email address. The answer is the same page whether or not the
 * address has an account (the core's requestReset is enumeration-safe and does its work after
 * answering), so the page reveals nothing either.
 */
export const resetRequestRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  app.get('/reset', { schema: { hide: true } }, async (request, reply) =>
    pages.render(request, reply, 'reset/request', (t) => ({ title: t.reset.requestTitle, intro: t.reset.requestIntro })),
  );

  app.post('/reset', { schema: { hide: true, body: ResetRequestForm }, preValidation: csrfGuard(pages) }, async (request, reply) => {
    const email = request.body.email.trim();
    await core.recovery.requestReset(email, contextOf(request, 'pages'));
    return pages.render(request, reply, 'reset/sent', (t) => ({ title: t.reset.sentTitle, message: t.reset.sent(email) }));
  });
};

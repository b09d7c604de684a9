import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { browserCookieValue, endBrowserSession, setBrowserSessionCookie } from '../../shared/browser-session.js';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import { contextOf } from '../../shared/request-context.js';
import { formError } from './form-errors.js';
import { clearPendingChange, keepPendingChange, pendingChange } from './pending-change.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { safeReturnTo } from './return-to.js';
import { CsrfOnlyForm, NewPasswordForm, SignInForm, SignInQuery } from './schemas.js';
import { sessionBinding } from './session-guard.js';

/**
 * /signin: the one sign-in form (the account page and OpenID Connect's authorize both send the
 * person here with `return_to`). It is always shown, also to a signed-in browser: `prompt=login`
 * relies on that. An expired password goes on to /signin/password, then to `return_to`.
 */
export const signInRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  const passwordPage = (returnTo: string) => `/signin/password?return_to=${encodeURIComponent(returnTo)}`;

  app.get('/signin', { schema: { hide: true, querystring: SignInQuery } }, async (request, reply) =>
    pages.render(request, reply, 'signin/form', (t) => ({ title: t.signin.title, returnTo: safeReturnTo(request.query.return_to) })),
  );

  app.post('/signin', { schema: { hide: true, body: SignInForm }, preValidation: csrfGuard(pages) }, async (request, reply) => {
    const { username, password } = request.body;
    const returnTo = safeReturnTo(request.body.return_to);
    try {
      const result = await core.browserSignIn.signIn(username, password, contextOf(request, 'account'), await browserCookieValue(core, request));
      if (result.kind === 'password_expired') {
        await keepPendingChange(core, reply, result.restrictedToken, result.expiresIn);
        return reply.redirect(passwordPage(returnTo), 303);
      }
      await setBrowserSessionCookie(core, request, reply, result.started);
      return reply.redirect(returnTo, 303);
    } catch (error) {
      const refused = formError(error, reply);
      if (!refused) throw error;
      void reply.code(refused.status);
      return pages.render(request, reply, 'signin/form', (t) => ({ title: t.signin.title, returnTo, username, error: refused.message(t) }));
    }
  });

  app.get('/signin/password', { schema: { hide: true, querystring: SignInQuery } }, async (request, reply) => {
    const returnTo = safeReturnTo(request.query.return_to);
    if (!(await pendingChange(core, request))) return reply.redirect(`/signin?return_to=${encodeURIComponent(returnTo)}`, 303);
    return pages.render(request, reply, 'signin/password', (t) => ({ title: t.signin.expiredTitle, returnTo }));
  });

  app.post('/signin/password', { schema: { hide: true, body: NewPasswordForm }, preValidation: csrfGuard(pages) }, async (request, reply) => {
    const returnTo = safeReturnTo(request.body.return_to);
    const token = await pendingChange(core, request);
    if (!token) return reply.redirect(`/signin?return_to=${encodeURIComponent(returnTo)}`, 303);
    const again = (status: number, message: string) => {
      void reply.code(status);
      return pages.render(request, reply, 'signin/password', (t) => ({ title: t.signin.expiredTitle, returnTo, error: message }));
    };
    if (request.body.password !== request.body.password_repeat) return again(400, pages.strings(request).password.mismatch);
    try {
      const started = await core.browserSignIn.completeExpired(token, request.body.password, contextOf(request, 'account'));
      clearPendingChange(core, reply);
      await setBrowserSessionCookie(core, request, reply, started);
      return reply.redirect(returnTo, 303);
    } catch (error) {
      const refused = formError(error, reply);
      if (refused) return again(refused.status, refused.message(pages.strings(request)));
      if ((error as { code?: string }).code === 'invalid_token') return reply.redirect(`/signin?return_to=${encodeURIComponent(returnTo)}`, 303);
      throw error;
    }
  });

  app.post('/signout', { schema: { hide: true, body: CsrfOnlyForm }, preValidation: csrfGuard(pages, sessionBinding(core)) }, async (request, reply) => {
    await endBrowserSession(core, request, reply);
    return reply.redirect('/signin', 303);
  });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { endBrowserSession, setBrowserSessionCookie } from '../../shared/browser-session.js';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import { contextOf } from '../../shared/request-context.js';
import { accountPage, type CreatedKey } from './account-view.js';
import { formError } from './form-errors.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { ChangePasswordForm, CreateKeyForm, CsrfOnlyForm, IdForm } from './schemas.js';
import { requireSession, sessionBinding, sessionOf } from './session-guard.js';

/** Notices a redirect back to /account may show (`?done=`): a closed set, never free text. */
const NOTICES = ['password', 'key_deleted', 'session_revoked'] as const;
type Notice = (typeof NOTICES)[number];

/**
 * /account: the profile, the live sessions (revoke one or all), API keys (create: the full key
 * shown once; listed masked; delete), the password change and sign-out. Every form is bound to
 * the browser session by its CSRF token; every action is one core call.
 */
export const accountRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  const signedIn = { onRequest: requireSession(core) };
  const guarded = { ...signedIn, preValidation: csrfGuard(pages, sessionBinding(core)) };

  const show = async (request: FastifyRequest, reply: FastifyReply, extra: { createdKey?: CreatedKey; notice?: Notice; error?: string } = {}) => {
    const session = sessionOf(request);
    const t = pages.strings(request, session.user.locale);
    const data = await accountPage(core, session, t, { ...extra, notice: extra.notice && t.account.notices[extra.notice] });
    return pages.render(request, reply, 'account/page', data, { locale: session.user.locale, binding: session.sessionId });
  };

  app.get<{ Querystring: { done?: string } }>('/account', { ...signedIn, schema: { hide: true } }, async (request, reply) => {
    const done = NOTICES.find((n) => n === request.query.done);
    return show(request, reply, done ? { notice: done } : {});
  });

  app.post('/account/keys', { ...guarded, schema: { hide: true, body: CreateKeyForm } }, async (request, reply) => {
    const { user } = sessionOf(request);
    const key = await core.apiKeys.create(user, request.body.name, contextOf(request, 'account'));
    // answered directly (not redirected): the full key must not travel in a URL or be shown twice
    return show(request, reply, { createdKey: { name: key.name, token: key.token } });
  });

  app.post('/account/keys/delete', { ...guarded, schema: { hide: true, body: IdForm } }, async (request, reply) => {
    await core.apiKeys.deleteById(sessionOf(request).user.id, request.body.id, contextOf(request, 'account'));
    return reply.redirect('/account?done=key_deleted', 303);
  });

  app.post('/account/sessions/revoke', { ...guarded, schema: { hide: true, body: IdForm } }, async (request, reply) => {
    const session = sessionOf(request);
    await core.sessions.revokeSession(session.user.id, request.body.id, contextOf(request, 'account'));
    if (request.body.id !== session.sessionId) return reply.redirect('/account?done=session_revoked', 303);
    await endBrowserSession(core, request, reply);
    return reply.redirect('/signin', 303);
  });

  app.post('/account/consents/revoke', { ...guarded, schema: { hide: true, body: IdForm } }, async (request, reply) => {
    await core.consents.revoke(sessionOf(request).user.id, request.body.id, contextOf(request, 'account'));
    return reply.redirect('/account', 303);
  });

  app.post('/account/sessions/revoke-all', { ...guarded, schema: { hide: true, body: CsrfOnlyForm } }, async (request, reply) => {
    await core.sessions.revokeAllOwn(sessionOf(request).user.id, contextOf(request, 'account'));
    await endBrowserSession(core, request, reply);
    return reply.redirect('/signin', 303);
  });

  app.post('/account/password', { ...guarded, schema: { hide: true, body: ChangePasswordForm } }, async (request, reply) => {
    const session = sessionOf(request);
    const t = pages.strings(request, session.user.locale);
    if (request.body.password !== request.body.password_repeat) return show(request, reply.code(400), { error: t.password.mismatch });
    try {
      const started = await core.browserSignIn.changePassword(session, request.body.old_password, request.body.password, contextOf(request, 'account'));
      await setBrowserSessionCookie(core, request, reply, started);
      return reply.redirect('/account?done=password', 303);
    } catch (error) {
      const refused = formError(error, reply);
      if (!refused) throw error;
      return show(request, reply.code(refused.status), { error: refused.message(t) });
    }
  });
};

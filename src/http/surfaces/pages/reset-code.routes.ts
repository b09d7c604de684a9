import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAuthError } from '../../../core/errors.js';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import { contextOf } from '../../shared/request-context.js';
import { passwordRules } from './password-rules.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { CodeParams, NewPasswordForm } from './schemas.js';

/** A link that no longer works: 410 Gone, with the form that mails a new one. */
const GONE = 410;

/**
 * /reset/{code}, the page the reset mail links to. GET only looks at the code (a mail scanner
 * opening the link burns nothing); POST trades it for a reset token and sets the password through
 * the same core use cases as `GET /v1/user/confirm/{code}` + `POST /v1/user/password/reset`.
 */
export const resetCodeRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  const invalid = (request: FastifyRequest, reply: FastifyReply) =>
    pages.render(request, reply.code(GONE), 'reset/invalid', (t) => ({ title: t.reset.invalidTitle }));

  const form = (request: FastifyRequest, reply: FastifyReply, view: { code: string; locale?: string | null; token?: string; error?: string }) =>
    pages.render(
      request,
      reply,
      'reset/form',
      (t) => ({ title: t.reset.title, intro: t.reset.intro, action: `/reset/${encodeURIComponent(view.code)}`, token: view.token, error: view.error, ...passwordRules(core, t) }),
      { locale: view.locale },
    );

  app.get('/reset/:code', { schema: { hide: true, params: CodeParams } }, async (request, reply) => {
    const holder = await core.recovery.check(request.params.code);
    if (!holder) return invalid(request, reply);
    return form(request, reply, { code: request.params.code, locale: holder.locale });
  });

  app.post('/reset/:code', { schema: { hide: true, params: CodeParams, body: NewPasswordForm }, preValidation: csrfGuard(pages) }, async (request, reply) => {
    const { code } = request.params;
    const { password, confirm } = request.body;
    const t = pages.strings(request);
    if (password !== confirm) {
      // Nothing is used up: the code (or the token of an earlier attempt) still works.
      if (!request.body.token && !(await core.recovery.check(code))) return invalid(request, reply);
      return form(request, reply.code(422), { code, token: request.body.token, error: t.password.mismatch });
    }
    let token = request.body.token;
    try {
      token ??= (await core.recovery.confirm(code)).token;
      await core.recovery.reset(token, password, contextOf(request, 'pages'));
    } catch (error) {
      if (isAuthError(error) && (error.code === 'reset_code_invalid' || error.code === 'reset_token_invalid')) return invalid(request, reply);
      if (isAuthError(error) && error.code === 'password_rejected') {
        return form(request, reply.code(422), { code, token, error: `${t.password.rejected} ${error.message}.` });
      }
      throw error;
    }
    return pages.render(request, reply, 'reset/done', (t) => ({ title: t.reset.doneTitle }));
  });
};

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EndSessionParams } from '../../../core/use-cases/end-session.js';
import { endBrowserSession } from '../../shared/browser-session.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import { Text } from '../../shared/schemas.js';
import { browserPerson, sessionBinding } from './browser-person.js';
import { continueTo, errorPage } from './pages.js';

const LogoutFields = {
  id_token_hint: Type.Optional(Text(8192)),
  post_logout_redirect_uri: Type.Optional(Text(2000)),
  state: Type.Optional(Text(4096)),
  client_id: Type.Optional(Text(200)),
  ui_locales: Type.Optional(Text(100)),
  logout_hint: Type.Optional(Text(2048)),
};
const LogoutParams = Type.Object(LogoutFields, { additionalProperties: true });
const ConfirmBody = Type.Object({ ...LogoutFields, _csrf: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false });

function paramsOf(source: EndSessionParams): EndSessionParams {
  const { id_token_hint, post_logout_redirect_uri, state, client_id } = source;
  return { id_token_hint, post_logout_redirect_uri, state, client_id };
}

/**
 * RP-initiated logout at the `end_session_endpoint` (GET or POST, as the spec allows), and the
 * confirmation form for a request that does not prove it comes from the person's application.
 */
export const logoutRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  const handle = async (request: FastifyRequest, reply: FastifyReply, params: EndSessionParams, confirmed: boolean) => {
    const person = await browserPerson(core, request);
    const outcome = await core.endSession.decide(params, person, confirmed);
    switch (outcome.kind) {
      case 'page_error':
        return errorPage(pages, request, reply, 'invalid_request', outcome.description);
      case 'confirm':
        return pages.render(
          request,
          reply,
          'oidc/logout',
          (t) => ({ title: t.oidc.logoutTitle, username: person?.user.username ?? '', fields: Object.entries(params).filter(([, v]) => v !== undefined) }),
          { locale: person?.user.locale, binding: person?.browserSessionId ?? '' },
        );
      case 'end':
        await endBrowserSession(core, request, reply);
        if (outcome.redirect === undefined) return pages.render(request, reply, 'oidc/signed-out', (t) => ({ title: t.oidc.signedOutTitle }));
        // the confirmation is one of our forms: its CSP stops a redirect to another origin
        return confirmed ? continueTo(pages, request, reply, outcome.redirect) : reply.redirect(outcome.redirect, 303);
    }
  };

  app.get('/oauth2/logout', { schema: { hide: true, querystring: LogoutParams } }, async (request, reply) => handle(request, reply, paramsOf(request.query), false));
  app.post('/oauth2/logout', { schema: { hide: true, body: LogoutParams } }, async (request, reply) => handle(request, reply, paramsOf(request.body), false));
  app.post(
    '/oauth2/logout/confirm',
    { preValidation: csrfGuard(pages, (r) => sessionBinding(core, r)), schema: { hide: true, body: ConfirmBody } },
    async (request, reply) => handle(request, reply, paramsOf(request.body), true),
  );
};

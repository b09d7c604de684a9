import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationParams } from '../../../core/oidc/authorization-request.js';
import type { AuthorizeOutcome } from '../../../core/use-cases/authorize.js';
import type { PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { csrfGuard } from '../../shared/pages/csrf-guard.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { browserPerson, FRESH_PARAM, freshAfter, sessionBinding } from './browser-person.js';
import { continueTo, errorPage } from './pages.js';

const Param = (max: number) => Type.Optional(Text(max));

/** The authorization request's parameters (OpenID Connect Core 3.1.2.1), all text, each once. */
const AuthorizeFields = {
  client_id: Param(200),
  redirect_uri: Param(2000),
  response_type: Param(100),
  response_mode: Param(100),
  scope: Param(1000),
  state: Param(4096),
  nonce: Param(1024),
  code_challenge: Param(200),
  code_challenge_method: Param(50),
  prompt: Param(100),
  max_age: Param(20),
  login_hint: Param(2048),
  request: Param(8192),
  request_uri: Param(2000),
  [FRESH_PARAM]: Param(20),
};
const AuthorizeQuery = Type.Object(AuthorizeFields, { additionalProperties: true });
const ConsentBody = Type.Object(
  { ...AuthorizeFields, decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]), _csrf: Type.Optional(Type.String({ maxLength: 128 })) },
  { additionalProperties: false },
);

type AuthorizeQuery = Static<typeof AuthorizeQuery>;

/** The request's own parameters, without the sign-in marker and the form's fields. */
function paramsOf(source: AuthorizeQuery): AuthorizationParams {
  const given = source as Record<string, unknown>;
  const params: Record<string, string> = {};
  for (const name of Object.keys(AuthorizeFields)) {
    const value = given[name];
    if (name !== FRESH_PARAM && typeof value === 'string') params[name] = value;
  }
  return params;
}

/**
 * `/oauth2/authorize` and its consent form (the `oidc` surface): the handlers decode, ask the
 * core's Authorize use case, and render what it decided: an error page, a redirect back to the
 * client, the sign-in page (P2's `/signin?return_to=`), or the consent page.
 */
export const authorizeRoutes: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  /** `fresh`: the sign-in marker this request carries; `afterForm`: it comes from a form (sign-in, consent). */
  const render = async (request: FastifyRequest, reply: FastifyReply, outcome: AuthorizeOutcome, params: AuthorizationParams, fresh: string | undefined, afterForm: boolean) => {
    switch (outcome.kind) {
      case 'page_error':
        return errorPage(pages, request, reply, outcome.error, outcome.description);
      case 'redirect':
        // after a form (sign-in, consent) the pages' CSP forbids a redirect to another origin
        return afterForm ? continueTo(pages, request, reply, outcome.url) : reply.redirect(outcome.url, 303);
      case 'sign_in': {
        const back = new URLSearchParams({ ...(params as Record<string, string>), [FRESH_PARAM]: String(outcome.freshAfter) });
        const signIn = new URLSearchParams({ return_to: `/oauth2/authorize?${back.toString()}` });
        if (outcome.loginHint !== undefined) signIn.set('login_hint', outcome.loginHint);
        return reply.redirect(`/signin?${signIn.toString()}`, 303);
      }
      case 'consent': {
        const person = await browserPerson(core, request);
        const fields = Object.entries({ ...params, ...(fresh === undefined ? {} : { [FRESH_PARAM]: fresh }) });
        return pages.render(
          request,
          reply,
          'oidc/consent',
          (t) => ({ title: t.oidc.consentTitle(outcome.clientName), clientName: outcome.clientName, scopes: outcome.scopes, username: person?.user.username ?? '', fields }),
          { locale: person?.user.locale, binding: person?.browserSessionId ?? '' },
        );
      }
    }
  };

  app.get('/oauth2/authorize', { schema: { hide: true, querystring: AuthorizeQuery } }, async (request, reply) => {
    const params = paramsOf(request.query);
    const signedInAfter = freshAfter(request.query[FRESH_PARAM]);
    const outcome = await core.authorize.decide({ params, person: await browserPerson(core, request), signedInAfter }, contextOf(request, 'oidc'));
    return render(request, reply, outcome, params, request.query[FRESH_PARAM], signedInAfter !== undefined);
  });

  // OpenID Connect Core 3.1.2.1: POST with the same parameters as a form. A cross-site POST
  // carries no SameSite=Lax cookie, so it goes through the sign-in page (and back as a GET).
  app.post('/oauth2/authorize', { schema: { hide: true, body: AuthorizeQuery } }, async (request, reply) => {
    const params = paramsOf(request.body);
    const outcome = await core.authorize.decide({ params, person: await browserPerson(core, request), signedInAfter: undefined }, contextOf(request, 'oidc'));
    return render(request, reply, outcome, params, undefined, false);
  });

  app.post(
    '/oauth2/consent',
    { preValidation: csrfGuard(pages, (r) => sessionBinding(core, r)), schema: { hide: true, body: ConsentBody } },
    async (request, reply) => {
      const params = paramsOf(request.body);
      const outcome = await core.authorize.decide(
        { params, person: await browserPerson(core, request), signedInAfter: freshAfter(request.body[FRESH_PARAM]), consent: request.body.decision },
        contextOf(request, 'oidc'),
      );
      return render(request, reply, outcome, params, request.body[FRESH_PARAM], true);
    },
  );
};

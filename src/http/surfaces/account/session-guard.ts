import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSession } from '../../../core/browser-sessions/browser-session.types.js';
import type { Core } from '../../../core/tessera.js';
import { readBrowserSession } from '../../shared/browser-session.js';
import type { CsrfBinding } from '../../shared/pages/csrf-guard.js';

/** The browser session a signed-in route was given by `requireSession`. */
export function sessionOf(request: FastifyRequest): BrowserSession {
  const session = (request as { browserSession?: BrowserSession }).browserSession;
  if (!session) throw new Error('route without requireSession');
  return session;
}

/**
 * `onRequest` of the signed-in pages: without a live browser session a GET goes to the sign-in
 * page (and comes back), anything else to the sign-in page from the account page.
 */
export function requireSession(core: Core) {
  return async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const session = await readBrowserSession(core, request);
    if (session) {
      (request as { browserSession?: BrowserSession }).browserSession = session;
      return;
    }
    const back = request.method === 'GET' ? request.url : '/account';
    await reply.redirect(`/signin?return_to=${encodeURIComponent(back)}`, 303);
  };
}

/** The CSRF binding of a signed-in form: the browser session's id. */
export function sessionBinding(core: Core): CsrfBinding {
  return async (request) => (await readBrowserSession(core, request))?.sessionId ?? '';
}

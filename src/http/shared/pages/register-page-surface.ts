import cookie from '@fastify/cookie';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance } from 'fastify';
import { registerFormBodyParser } from '../form-body-parser.js';
import { VIEWS_DIR } from './page-files.js';
import { pageErrorHandler } from './page-error-handler.js';
import type { Core } from '../../../core/tessera.js';
import type { PageKit } from './page-kit.js';

/** What every page-serving surface plugin is registered with. */
export interface PageSurfaceOptions {
  core: Core;
  pages: PageKit;
}

/** Largest form a page accepts (a password form is a few hundred bytes). */
export const PAGE_FORM_LIMIT = 16 * 1024;

/**
 * Makes an encapsulated surface plugin serve HTML pages: cookies, the eta view engine with the
 * shared layout (`views/layout.eta`; `<%= %>` escapes, `<%~ %>` does not), urlencoded form bodies
 * (parsed strictly), the pages' CSP on every answer and HTML error pages. Call it first in the
 * surface's plugin (the pages surface does; the OIDC surface does the same).
 */
export async function registerPageSurface(app: FastifyInstance, kit: PageKit): Promise<void> {
  await app.register(cookie, { hook: 'onRequest' });
  await app.register(view, {
    engine: { eta: new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true }) },
    root: VIEWS_DIR,
    viewExt: 'eta',
    layout: 'layout',
    production: true,
  });
  registerFormBodyParser(app, PAGE_FORM_LIMIT);
  app.setErrorHandler(pageErrorHandler(kit));
  app.addHook('onSend', async (_request, reply, payload) => {
    // Replaces helmet's API policy (set for every answer at the root) with the pages' own.
    void reply.header('content-security-policy', kit.csp);
    // Not helmet's no-referrer: under it Chromium sends `Origin: null` on the pages' own form
    // posts, which the CSRF check refuses. same-origin sends the Referer (which may hold a mailed
    // code) only to this server, never to another site.
    void reply.header('referrer-policy', 'same-origin');
    return payload;
  });
}

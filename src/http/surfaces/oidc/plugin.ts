import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { registerPageSurface, type PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { authorizeRoutes } from './authorize.routes.js';
import { logoutRoutes } from './logout.routes.js';

/**
 * The browser side of OpenID Connect: `/oauth2/authorize` with its consent page, and RP-initiated
 * logout. HTML pages (the pages' CSP, CSRF-checked forms, HTML error pages), built on the browser
 * session and sign-in page of the account surface. The JSON side (token, userinfo, discovery) is
 * the oauth2 surface's.
 */
export const oidcSurface: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  await registerPageSurface(app, pages);
  await app.register(authorizeRoutes, { core, pages });
  await app.register(logoutRoutes, { core, pages });
};

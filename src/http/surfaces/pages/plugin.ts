import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import type { PageKit } from '../../shared/pages/page-kit.js';
import { registerPageSurface } from '../../shared/pages/register-page-surface.js';
import { resetRequestRoutes } from './reset-request.routes.js';

export interface PagesSurfaceOptions {
  core: Core;
  pages: PageKit;
}

/** The HTML pages a person uses: password reset, email verification (and the account pages). */
export const pagesSurface: FastifyPluginAsyncTypebox<PagesSurfaceOptions> = async (app, { core, pages }) => {
  await registerPageSurface(app, pages);
  await app.register(resetRequestRoutes, { core, pages });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { registerPageSurface, type PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { resetCodeRoutes } from './reset-code.routes.js';
import { resetRequestRoutes } from './reset-request.routes.js';
import { verifyEmailRoutes } from './verify-email.routes.js';

/** The HTML pages a mail links to: password reset and email verification. */
export const pagesSurface: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, { core, pages }) => {
  await registerPageSurface(app, pages);
  await app.register(resetRequestRoutes, { core, pages });
  await app.register(resetCodeRoutes, { core, pages });
  await app.register(verifyEmailRoutes, { core, pages });
};

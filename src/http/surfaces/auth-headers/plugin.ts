import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { authHeaderRoutes } from './keys.routes.js';
import { renderAuthHeadersError } from './errors.js';
import { loginRoutes } from './login.routes.js';

/** Seed 001: `/user/login` and the API keys of `/authheader/*`. */
export const authHeadersSurface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler(renderAuthHeadersError));
  await app.register(loginRoutes, { core });
  await app.register(authHeaderRoutes, { core });
};

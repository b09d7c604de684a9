import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { authRoutes } from './auth.routes.js';
import { renderNativeError } from './errors.js';
import { recoveryRoutes } from './recovery.routes.js';
import { userRoutes } from './user.routes.js';

/** Seed 002, the native API: /v1/user and /v1/auth. */
export const nativeSurface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler(renderNativeError));
  await app.register(userRoutes, { core });
  await app.register(recoveryRoutes, { core });
  await app.register(authRoutes, { core });
};

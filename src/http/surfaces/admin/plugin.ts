import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { requireAuth } from '../../shared/authenticate.js';
import { errorHandler } from '../../shared/error-handler.js';
import { accountRoutes } from './accounts.routes.js';
import { clientRoutes } from './clients.routes.js';
import { renderAdminError } from './errors.js';
import { issuerRoutes } from './issuers.routes.js';
import { keysAuditSessionRoutes } from './keys-audit-sessions.routes.js';
import { userRoutes } from './users.routes.js';

/**
 * The admin guard, run on every admin route before the body is even parsed (so an anonymous
 * caller learns nothing from validation answers): the core's policy decides (`admin`).
 */
export function adminGuard(core: Core) {
  return requireAuth(core, 'admin');
}

/** The admin API (/v1/admin): operators manage users, accounts, issuers, clients, keys, audit. */
export const adminSurface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler(renderAdminError));
  app.addHook('onRequest', adminGuard(core));
  await app.register(userRoutes, { core });
  await app.register(accountRoutes, { core });
  await app.register(issuerRoutes, { core });
  await app.register(clientRoutes, { core });
  await app.register(keysAuditSessionRoutes, { core });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { principalOf, requireAuth } from '../../shared/authenticate.js';
import { errorHandler } from '../../shared/error-handler.js';
import { accountRoutes } from './accounts.routes.js';
import { clientRoutes } from './clients.routes.js';
import { renderAdminError } from './errors.js';
import { issuerRoutes } from './issuers.routes.js';
import { keysAuditSessionRoutes } from './keys-audit-sessions.routes.js';
import { userRoutes } from './users.routes.js';

export const ADMIN_ROLE = 'admin';

/**
 * The admin guard, run on every admin route before the body is even parsed (so an anonymous
 * caller learns nothing from validation answers): a login token, not an API key; a user, not an
 * OAuth client; `admin` in the token's roles and in the user's current roles, so a demoted,
 * locked or deleted admin loses the API at once rather than when the token expires.
 */
export function adminGuard(core: Core) {
  const authenticated = requireAuth(core.authenticator, { allowApiKey: false });
  return async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await authenticated(request, reply);
    const principal = principalOf(request);
    if (principal.clientId !== null) {
      throw new AuthError('forbidden', 'the admin API is for users with the admin role, not OAuth clients');
    }
    if (!principal.roles.includes(ADMIN_ROLE)) throw new AuthError('forbidden', 'the admin role is required');
    const user = await core.users.require(principal.userId);
    if (!user.roles.includes(ADMIN_ROLE)) throw new AuthError('forbidden', 'the admin role is required');
  };
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

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { registerFormBodyParser } from '../../shared/form-body-parser.js';
import { discoveryRoutes } from './discovery.route.js';
import { renderOAuthError, sendProblemAsOAuth } from './errors.js';
import { introspectRevokeRoutes } from './introspect-revoke.routes.js';
import { tokenRoute } from './token.route.js';
import { userInfoRoute } from './userinfo.route.js';

/**
 * The standard OAuth 2.0 endpoints, form-encoded as RFC 6749 says, with errors in its
 * `{error, error_description}` shape only: core errors, and everything the shared handler finds
 * before the route runs (the timezone and URL guards throw core errors; an unreadable, oversized
 * or mistyped body, the database), go through this plugin's handler. Discovery metadata alongside.
 */
export const oauth2Surface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  // RFC 6749 3.2, RFC 7009 2.1, RFC 7662 2.1: these endpoints take forms; JSON here is invalid_request.
  // Parsed strictly (form-body-parser.ts): a bad escape is invalid_request, never U+FFFD.
  app.removeContentTypeParser('application/json');
  registerFormBodyParser(app, 64 * 1024);
  app.setErrorHandler(errorHandler(renderOAuthError, sendProblemAsOAuth));
  await app.register(tokenRoute, { core });
  await app.register(introspectRevokeRoutes, { core });
  await app.register(discoveryRoutes, { core });
  await app.register(userInfoRoute, { core });
};

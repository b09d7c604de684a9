import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { isAuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { registerFormBodyParser } from '../../shared/form-body-parser.js';
import { discoveryRoute } from './discovery.route.js';
import { renderOAuthError, sendOAuthError } from './errors.js';
import { introspectRevokeRoutes } from './introspect-revoke.routes.js';
import { tokenRoute } from './token.route.js';

/**
 * The standard OAuth 2.0 endpoints, form-encoded as RFC 6749 says, with errors in its
 * `{error, error_description}` shape; discovery metadata alongside.
 */
export const oauth2Surface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  // RFC 6749 3.2, RFC 7009 2.1, RFC 7662 2.1: these endpoints take forms; JSON here is a 415.
  // Parsed strictly (form-body-parser.ts): a bad escape is invalid_request, never U+FFFD.
  app.removeContentTypeParser('application/json');
  registerFormBodyParser(app, 64 * 1024);
  const fallback = errorHandler(renderOAuthError);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (!isAuthError(error) && error.validation) {
      const detail = (error.validation as Array<{ instancePath?: string; message?: string }>)
        .map((v) => `${v.instancePath?.replace(/^\//, '') || 'body'} ${v.message ?? 'is invalid'}`)
        .join('; ');
      return sendOAuthError(reply, 400, 'invalid_request', detail);
    }
    return fallback(error, request, reply);
  });
  await app.register(tokenRoute, { core });
  await app.register(introspectRevokeRoutes, { core });
  await app.register(discoveryRoute, { core });
};

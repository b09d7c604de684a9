import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { contextOf, firstParty } from '../../shared/request-context.js';
import { Password, problems, Text } from '../../shared/schemas.js';
import { renderIntegrationError } from './errors.js';

const AuthResponse = Type.Object({
  accessToken: Type.Union([Type.String(), Type.Null()]),
  refreshToken: Type.Union([Type.String(), Type.Null()]),
  passwordExpired: Type.Boolean(),
});

/**
 * Seed 000, the integration API: `POST /api/Auth/Auth`. An expired password still answers 200,
 * with `passwordExpired: true`, the restricted token as `accessToken` and no refresh token.
 */
export const integrationSurface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler(renderIntegrationError));

  app.post(
    '/api/Auth/Auth',
    {
      schema: {
        tags: ['integration'],
        summary: 'Log in with login and password',
        body: Type.Object({ login: Text(1024, { minLength: 1 }), password: Password }),
        response: { 200: AuthResponse, ...problems(400, 401, 403, 415) },
      },
    },
    async (request) => {
      const { login, password } = request.body;
      const result = await core.login.sessionOrRestricted(login, password, contextOf(request, 'integration'), firstParty('integration'));
      return result.kind === 'password_expired'
        ? { accessToken: result.restricted.token, refreshToken: null, passwordExpired: true }
        : { accessToken: result.tokens.access.token, refreshToken: result.tokens.refreshToken, passwordExpired: false };
    },
  );
};

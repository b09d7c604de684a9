import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import { presentedToken, principalOf, requireAuth } from '../../shared/authenticate.js';
import { errorHandler } from '../../shared/error-handler.js';
import { contextOf } from '../../shared/request-context.js';
import { bearerSecurity, Password, problems, Text } from '../../shared/schemas.js';
import { requestDateTime } from '../../shared/timezone.js';
import { renderIotError } from './errors.js';

const TIME_CLAIMS = ['exp', 'iat', 'nbf'] as const;
const tags = ['iot'];

/**
 * Seed 003, the IoT platform's `/v1/api/auth`: a 24-hour token from username and password
 * (calling it again is the refresh), the decoded token, and the caller.
 */
export const iotSurface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler(renderIotError));
  const authenticated = requireAuth(core.authenticator);

  app.post(
    '/v1/api/auth/token',
    {
      schema: {
        tags,
        summary: 'A JWT valid 24 h (IOT_TOKEN_TTL) with the current accounts and roles',
        description: 'An expired password is 403 problem JSON with `passwordExpired: true` and a `restrictedToken`.',
        body: Type.Object({ username: Text(1024, { minLength: 1 }), password: Password }),
        response: { 200: Type.Object({ token: Type.String() }), ...problems(400, 401, 403, 415) },
      },
    },
    async (request) => {
      const result = await core.login.login(request.body.username, request.body.password, contextOf(request, 'iot'), {
        withRefresh: false,
        accessTtlSeconds: core.options.longAccessTtlSeconds,
      });
      if (result.kind === 'password_expired') {
        throw new AuthError('password_expired', 'the password has expired; change it with the restricted token', {
          extra: { restrictedToken: result.restricted.token },
        });
      }
      return { token: result.kind === 'access_only' ? result.access.token : result.tokens.access.token };
    },
  );

  app.get(
    '/v1/api/auth/tokenInfo',
    {
      preHandler: authenticated,
      schema: {
        tags,
        summary: 'The presented token, decoded; exp, iat and nbf as ISO date-times',
        security: bearerSecurity,
        response: {
          200: Type.Object({
            header: Type.Object({ typ: Type.String(), alg: Type.String() }, { additionalProperties: true }),
            payload: Type.Object({}, { additionalProperties: true }),
          }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => {
      if (principalOf(request).via === 'api_key') {
        throw new AuthError('invalid_input', 'tokenInfo describes a JWT; an API key is not one');
      }
      const { header, payload } = await core.tokens.inspect(presentedToken(request)!);
      for (const claim of TIME_CLAIMS) {
        const value = payload[claim];
        if (typeof value === 'number') payload[claim] = requestDateTime(request, value * 1000, { offset: true, millis: true });
      }
      return { header: { typ: String(header.typ), alg: String(header.alg), ...header }, payload };
    },
  );

  app.get(
    '/v1/api/auth/me',
    {
      preHandler: authenticated,
      schema: {
        tags,
        summary: 'The caller; created/updated in epoch milliseconds',
        security: bearerSecurity,
        response: {
          200: Type.Object({
            id: Type.String(),
            created: Type.Integer(),
            email: Type.Union([Type.String(), Type.Null()]),
            termsAndConditions: Type.Boolean(),
            updated: Type.Integer(),
            verified: Type.Boolean(),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => {
      const user = await core.users.require(principalOf(request).userId);
      return {
        id: user.id,
        created: user.createdAt,
        email: user.email,
        termsAndConditions: user.termsAccepted,
        updated: user.updatedAt,
        verified: user.emailVerified,
      };
    },
  );
};

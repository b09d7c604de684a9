import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { presentedToken, principalOf, requireAuth, userOf } from '../../shared/authenticate.js';
import { errorHandler } from '../../shared/error-handler.js';
import { contextOf, firstParty } from '../../shared/request-context.js';
import { Password, problems, Text } from '../../shared/schemas.js';
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
  const inspector = requireAuth(core, 'token.inspect');
  const reader = requireAuth(core, 'profile.read');

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
      const { grant } = await core.login.accessToken(
        request.body.username,
        request.body.password,
        contextOf(request, 'iot'),
        firstParty('iot'),
        core.settings.iotTokenTtlSeconds,
      );
      return { token: grant.access.token };
    },
  );

  app.get(
    '/v1/api/auth/tokenInfo',
    {
      preHandler: inspector,
      schema: {
        tags,
        summary: 'The presented token, decoded; exp, iat and nbf as ISO date-times',
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
      const { header, payload } = await core.tokens.inspect(principalOf(request), presentedToken(request) ?? '');
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
      preHandler: reader,
      schema: {
        tags,
        summary: 'The caller; created/updated in epoch milliseconds',
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
      const { user } = userOf(request);
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

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { errorHandler } from '../../shared/error-handler.js';
import { problem, sendProblem } from '../../shared/problem.js';
import { problems } from '../../shared/schemas.js';

const Jwk = Type.Object({ kty: Type.String(), kid: Type.String(), alg: Type.String(), use: Type.String() }, { additionalProperties: true });

/** Endpoints resource servers and operators expect: JWKS, health, readiness. */
export const standardSurface: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.setErrorHandler(errorHandler());

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['standard'],
        summary: 'Every public key that may still verify a live token (RFC 7517)',
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return core.keys.jwks();
    },
  );

  app.get(
    '/healthz',
    { schema: { tags: ['standard'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['standard'],
        summary: 'The database answers',
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...problems(503) },
      },
    },
    async (request, reply) => {
      try {
        await core.ping();
        return { status: 'ready' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return sendProblem(reply, problem(503, 'unavailable', 'Service Unavailable', 'the database is not reachable'));
      }
    },
  );
};

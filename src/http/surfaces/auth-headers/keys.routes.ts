import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiKeyView } from '../../../core/api-keys/api-key.types.js';
import type { Core } from '../../../core/tessera.js';
import type { FastifyRequest } from 'fastify';
import { requireAuth, userOf } from '../../shared/authenticate.js';
import { contextOf } from '../../shared/request-context.js';
import { problems, Text } from '../../shared/schemas.js';
import { authHeadersDateTime, SeedDateTime } from './auth-headers-format.js';

const AuthHeader = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String({ description: 'in full from add; masked (prefix...last4) in list unless API_KEY_ENCRYPTION_KEY is set' }),
  created: SeedDateTime('UTC, or the local time of the X-nugios-timezone offset; never an offset suffix'),
});

function render(request: FastifyRequest, key: ApiKeyView) {
  return { id: key.id, name: key.name, token: key.token, created: authHeadersDateTime(request, key.createdAt) };
}

/**
 * Seed 001's API keys ("auth headers"). Only a token from a login may manage keys: an API key
 * cannot create, list or delete keys.
 */
export const authHeaderRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  const keyManager = requireAuth(core, 'keys.manage');
  const tags = ['auth-headers'];

  app.post(
    '/authheader/add',
    {
      preHandler: keyManager,
      schema: {
        tags,
        summary: 'Create an API key; the only time it is shown in full',
        body: Type.Object({ name: Text(200, { minLength: 1 }) }),
        response: { 200: AuthHeader, ...problems(400, 401, 403) },
      },
    },
    async (request) => render(request, await core.apiKeys.create(userOf(request).user, request.body.name, contextOf(request, 'auth-headers'))),
  );

  app.get(
    '/authheader/list',
    {
      preHandler: keyManager,
      schema: { tags, summary: "The caller's API keys", response: { 200: Type.Array(AuthHeader), ...problems(401, 403) } },
    },
    async (request) => (await core.apiKeys.list(userOf(request).userId)).map((key) => render(request, key)),
  );

  app.post(
    '/authheader/delete',
    {
      preHandler: keyManager,
      schema: {
        tags,
        summary: 'Delete one of the caller\'s API keys by its full value',
        body: Type.Object({ text: Text(200, { minLength: 1 }) }),
        response: { 200: Type.Object({ message: Type.Literal('Success') }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await core.apiKeys.delete(userOf(request).userId, request.body.text, contextOf(request, 'auth-headers'));
      return { message: 'Success' as const };
    },
  );
};

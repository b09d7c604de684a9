import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { clientView, registeredClientView } from '../../../core/views/operator-views.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { requestTime } from './request-time.js';
import { adminProblems, adminTags, Deleted, Id, IdParams, Roles } from './schemas.js';

const GrantType = Type.Union([
  Type.Literal('client_credentials'),
  Type.Literal('refresh_token'),
  Type.Literal('password'),
  Type.Literal('urn:ietf:params:oauth:grant-type:token-exchange'),
]);

const ClientBody = Type.Object({
  name: Text(200, { minLength: 1 }),
  grantTypes: Type.Optional(Type.Array(GrantType, { minItems: 1, maxItems: 4, description: 'default `["client_credentials"]`' })),
  roles: Type.Optional(Roles),
});

const ClientFields = {
  clientId: Id,
  name: Type.String(),
  grantTypes: Type.Array(Type.String()),
  roles: Type.Array(Type.String(), { description: 'carried by its client_credentials tokens' }),
  createdAt: Type.String({ format: 'date-time' }),
};
const Client = Type.Object(ClientFields, { description: 'never the secret or its hash' });
const RegisteredClient = Type.Object({ ...ClientFields, clientSecret: Type.String({ description: 'shown only here, once' }) });

/** /v1/admin/clients: confidential OAuth clients for /oauth2/token, introspection and revocation. */
export const clientRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/v1/admin/clients',
    {
      schema: {
        tags: adminTags,
        summary: 'Register an OAuth client; the answer is the only time its secret is shown',
        body: ClientBody,
        response: { 201: RegisteredClient, ...adminProblems(413, 415) },
      },
    },
    async (request, reply) => {
      const { name, grantTypes, roles } = request.body;
      const { client, clientSecret } = await core.clients.register({ name, grantTypes, roles }, contextOf(request, 'admin'));
      return reply.code(201).send(registeredClientView(client, clientSecret, requestTime(request)));
    },
  );

  app.get(
    '/v1/admin/clients',
    {
      schema: {
        tags: adminTags,
        summary: 'The registered OAuth clients (without secrets)',
        response: { 200: Type.Array(Client), ...adminProblems() },
      },
    },
    async (request) => (await core.clients.list()).map((c) => clientView(c, requestTime(request))),
  );

  app.delete(
    '/v1/admin/clients/:id',
    {
      schema: {
        tags: adminTags,
        summary: 'Delete an OAuth client',
        description: 'Its secret stops working at once; access tokens it already obtained live until they expire.',
        params: IdParams,
        response: { 200: Deleted, ...adminProblems(404) },
      },
    },
    async (request) => {
      await core.clients.delete(request.params.id, contextOf(request, 'admin'));
      return { deleted: true as const };
    },
  );
};

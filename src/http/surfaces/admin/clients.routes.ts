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
  Type.Literal('authorization_code'),
]);

const AuthMethod = Type.Union([Type.Literal('none'), Type.Literal('client_secret_basic'), Type.Literal('client_secret_post')]);
const Scope = Type.Union([Type.Literal('openid'), Type.Literal('profile'), Type.Literal('email'), Type.Literal('offline_access')]);
const Uris = (description: string) => Type.Array(Text(2000, { minLength: 1 }), { maxItems: 20, description });

const ClientBody = Type.Object({
  name: Text(200, { minLength: 1 }),
  grantTypes: Type.Optional(Type.Array(GrantType, { minItems: 1, maxItems: 5, description: 'default `["client_credentials"]`' })),
  roles: Type.Optional(Roles),
  redirectUris: Type.Optional(
    Uris('for authorization_code (required there): exact match; https, http on a loopback address (any port, RFC 8252), or a private-use scheme'),
  ),
  postLogoutRedirectUris: Type.Optional(Uris('where RP-initiated logout may send the browser back: exact match')),
  tokenEndpointAuthMethod: Type.Optional(
    Type.Union([AuthMethod], { description: 'default `client_secret_basic`; `none` is a public client: no secret, PKCE only, authorization_code and refresh_token only' }),
  ),
  scopes: Type.Optional(Type.Array(Scope, { maxItems: 4, description: 'allowed scopes; default `openid profile email` (+ `offline_access` with refresh_token)' })),
  consentRequired: Type.Optional(Type.Boolean({ description: 'default true; false for first-party apps whose users are not asked' })),
});

const ClientFields = {
  clientId: Id,
  name: Type.String(),
  grantTypes: Type.Array(Type.String()),
  roles: Type.Array(Type.String(), { description: 'carried by its client_credentials tokens' }),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  tokenEndpointAuthMethod: Type.String(),
  scopes: Type.Array(Type.String()),
  consentRequired: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
};
const Client = Type.Object(ClientFields, { description: 'never the secret or its hash' });
const RegisteredClient = Type.Object({
  ...ClientFields,
  clientSecret: Type.Optional(Type.String({ description: 'shown only here, once; a public client (`none`) has none' })),
});

/** /v1/admin/clients: OAuth clients for /oauth2/token, introspection, revocation and the browser flow. */
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
      const { client, clientSecret } = await core.clients.register(request.body, contextOf(request, 'admin'));
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

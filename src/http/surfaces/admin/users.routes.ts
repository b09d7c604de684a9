import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../../core/tessera.js';
import type { User } from '../../../core/users/user.types.js';
import { userView } from '../../../core/views/operator-views.js';
import { contextOf } from '../../shared/request-context.js';
import { requestTime } from './request-time.js';
import { adminProblems, adminTags, AdminUser, CreateUserBody, Deleted, IdParams, PatchUserBody, UserListQuery } from './schemas.js';

/** A user as operators see it (the CLI too): every field but the password hash, dates in the request's offset. */
export function renderUser(core: Core, request: FastifyRequest, user: User) {
  return userView(user, core.userAdmin.passwordExpired(user), requestTime(request));
}

/** /v1/admin/users: create with roles, search with a cursor, read, patch, delete. */
export const userRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/v1/admin/users',
    {
      schema: {
        tags: adminTags,
        summary: 'Create a user, optionally with roles',
        description: 'The password policy and username rules of registration apply. A taken username or email is 409.',
        body: CreateUserBody,
        response: { 201: AdminUser, ...adminProblems(409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { username, password, email, name, locale, termsAndConditions, roles } = request.body;
      const user = await core.userAdmin.create(
        { username, password, email, name, locale, termsAndConditions, roles },
        contextOf(request, 'admin'),
      );
      return reply.code(201).send(renderUser(core, request, user));
    },
  );

  app.get(
    '/v1/admin/users',
    {
      schema: {
        tags: adminTags,
        summary: 'List users, oldest first, optionally matching a search',
        description: '`query` matches part of the username or email, case-insensitively. Pass `nextCursor` as `cursor` for the next page; it is null on the last page.',
        querystring: UserListQuery,
        response: {
          200: Type.Object({ users: Type.Array(AdminUser), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...adminProblems(),
        },
      },
    },
    async (request) => {
      const { query, limit, cursor } = request.query;
      const page = await core.userAdmin.list({ query, limit, cursor });
      return { users: page.users.map((u) => renderUser(core, request, u)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/admin/users/:id',
    {
      schema: {
        tags: adminTags,
        summary: 'One user',
        params: IdParams,
        response: { 200: AdminUser, ...adminProblems(404) },
      },
    },
    async (request) => renderUser(core, request, await core.userAdmin.get(request.params.id)),
  );

  app.patch(
    '/v1/admin/users/:id',
    {
      schema: {
        tags: adminTags,
        summary: "Change a user's roles, lock, email verification, or expire their password",
        description:
          'Roles and account memberships reach tokens issued after the change. Locking revokes every session of the user. ' +
          '`passwordExpired: true` expires the password now (only `true` is accepted).',
        params: IdParams,
        body: PatchUserBody,
        response: { 200: AdminUser, ...adminProblems(404, 413, 415) },
      },
    },
    async (request) => {
      const { roles, locked, emailVerified, passwordExpired } = request.body;
      const user = await core.userAdmin.patch(request.params.id, { roles, locked, emailVerified, passwordExpired }, contextOf(request, 'admin'));
      return renderUser(core, request, user);
    },
  );

  app.delete(
    '/v1/admin/users/:id',
    {
      schema: {
        tags: adminTags,
        summary: 'Delete a user with their sessions, API keys, addresses and memberships',
        description: 'Access tokens already issued to the user are refused wherever the user is loaded.',
        params: IdParams,
        response: { 200: Deleted, ...adminProblems(404) },
      },
    },
    async (request) => {
      await core.userAdmin.delete(request.params.id, contextOf(request, 'admin'));
      return { deleted: true as const };
    },
  );
};

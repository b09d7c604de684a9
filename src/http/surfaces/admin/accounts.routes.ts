import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { requestDateTime } from '../../shared/timezone.js';
import { adminProblems, adminTags, Deleted, Id } from './schemas.js';

const MemberParams = Type.Object({ id: Id, userId: Id });
const Membership = Type.Object({ accountId: Id, userId: Id, role: Type.String() });

/**
 * /v1/admin/accounts: accounts (tenants) and their members. Tokens carry `accounts: [{id, role}]`
 * as they stand at issue, so a change reaches the next login, refresh or token call.
 */
export const accountRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/v1/admin/accounts',
    {
      schema: {
        tags: adminTags,
        summary: 'Create an account',
        body: Type.Object({ name: Text(200, { minLength: 1 }) }),
        response: { 201: Type.Object({ id: Id, name: Type.String(), createdAt: Type.String({ format: 'date-time' }) }), ...adminProblems(413, 415) },
      },
    },
    async (request, reply) => {
      const account = await core.accounts.create(request.body.name, contextOf(request, 'admin'));
      return reply.code(201).send({ id: account.id, name: account.name, createdAt: requestDateTime(request, account.createdAt) });
    },
  );

  app.put(
    '/v1/admin/accounts/:id/members/:userId',
    {
      schema: {
        tags: adminTags,
        summary: "Add a user to an account, or change their role in it",
        description: 'An unknown account or user is 404. `role` is a lower-case identifier, e.g. `member` or `owner`.',
        params: MemberParams,
        body: Type.Object({ role: Text(64, { minLength: 1 }) }),
        response: { 200: Membership, ...adminProblems(404, 413, 415) },
      },
    },
    async (request) => {
      const { id, userId } = request.params;
      await core.accounts.putMember(id, userId, request.body.role, contextOf(request, 'admin'));
      return { accountId: id, userId, role: request.body.role };
    },
  );

  app.delete(
    '/v1/admin/accounts/:id/members/:userId',
    {
      schema: {
        tags: adminTags,
        summary: 'Remove a user from an account',
        params: MemberParams,
        response: { 200: Deleted, ...adminProblems(404) },
      },
    },
    async (request) => {
      const { id, userId } = request.params;
      await core.accounts.removeMember(id, userId, contextOf(request, 'admin'));
      return { deleted: true as const };
    },
  );
};

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { signingKeyView } from '../../../core/views/operator-views.js';
import { contextOf } from '../../shared/request-context.js';
import { Text } from '../../shared/schemas.js';
import { sessionView, SessionView } from '../../shared/session-view.js';
import { requestDateTime } from '../../shared/timezone.js';
import { requestTime } from './request-time.js';
import { adminProblems, adminTags, AuditEvent, Id, IdParams } from './schemas.js';

const KeySummary = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  current: Type.Boolean({ description: 'the key new tokens are signed with' }),
  encrypted: Type.Boolean({ description: 'the private key is encrypted at rest (KEY_ENCRYPTION_KEY)' }),
});

const AuditQuery = Type.Object({
  userId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'default 100' })),
});

/** /v1/admin/keys, /v1/admin/audit and /v1/admin/users/{id}/sessions: what operators watch and revoke. */
export const keysAuditSessionRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/v1/admin/keys/rotate',
    {
      schema: {
        tags: adminTags,
        summary: 'Generate a new signing key',
        description: 'New tokens are signed with it at once; the previous key stays in the JWKS and keeps verifying until the last token it signed has expired.',
        response: { 200: Type.Object({ kid: Type.String() }), ...adminProblems() },
      },
    },
    async (request) => {
      return { kid: await core.rotateSigningKey(contextOf(request, 'admin')) };
    },
  );

  app.get(
    '/v1/admin/keys',
    {
      schema: {
        tags: adminTags,
        summary: 'The stored signing keys, newest first, without key material',
        response: { 200: Type.Array(KeySummary), ...adminProblems() },
      },
    },
    async (request) => (await core.keys.list()).map((k) => signingKeyView(k, requestTime(request))),
  );

  app.get(
    '/v1/admin/audit',
    {
      schema: {
        tags: adminTags,
        summary: 'The audit trail, newest first',
        description: 'Logins and their failures, refreshes, revocations, password changes and resets, key, client, issuer and admin changes. Never a secret.',
        querystring: AuditQuery,
        response: { 200: Type.Object({ events: Type.Array(AuditEvent) }), ...adminProblems() },
      },
    },
    async (request) => {
      const { userId, limit } = request.query;
      const events = await core.audit.list({ ...(userId ? { userId } : {}), limit: limit ?? 100 });
      return { events: events.map((e) => ({ ...e, at: requestDateTime(request, e.at) })) };
    },
  );

  app.get(
    '/v1/admin/users/:id/sessions',
    {
      schema: {
        tags: adminTags,
        summary: "A user's live sessions (refresh-token families)",
        params: IdParams,
        response: { 200: Type.Array(SessionView), ...adminProblems(404) },
      },
    },
    async (request) => {
      const user = await core.userAdmin.get(request.params.id);
      const sessions = await core.sessions.listSessions(user.id);
      return sessions.map((s) => sessionView(request, s));
    },
  );

  app.delete(
    '/v1/admin/users/:id/sessions/:sessionId',
    {
      schema: {
        tags: adminTags,
        summary: "Revoke one of a user's sessions",
        description: 'Its refresh tokens stop working at once; access tokens already issued live until they expire.',
        params: Type.Object({ id: Id, sessionId: Text(64, { minLength: 1 }) }),
        response: { 200: Type.Object({ revoked: Type.Literal(true) }), ...adminProblems(404) },
      },
    },
    async (request) => {
      await core.sessions.revokeSession(request.params.id, request.params.sessionId, contextOf(request, 'admin'));
      return { revoked: true as const };
    },
  );
};

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthError } from '../../../core/errors.js';
import type { Core } from '../../../core/tessera.js';
import type { User } from '../../../core/users/user.types.js';
import { presentedToken, requireAuth } from '../../shared/authenticate.js';
import { contextOf } from '../../shared/request-context.js';
import { bearerSecurity, problems } from '../../shared/schemas.js';
import { requestDateTime } from '../../shared/timezone.js';
import { ChangePasswordBody, CodeParams, EmailBody, ResetBody, TokenResponse } from './schemas.js';
import { tokenResponse } from './token-response.js';

const EmailAnswer = Type.Object({ email: Type.String() });

/** /v1/user/password/*, confirm and resendEmail: recovery and password change. */
export const recoveryRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  // restore and resendEmail are one operation (docs/decisions.md): a fresh code, the old one dies.
  const mailRoutes = [
    ['/v1/user/password/restore', 'Mail a password-reset code'],
    ['/v1/user/resendEmail', 'Mail a fresh reset code; the previous one stops working'],
  ] as const;
  for (const [path, summary] of mailRoutes) {
    app.post(
      path,
      {
        schema: {
          tags: ['native'],
          summary,
          description: 'Answers the same, at once, whether or not the address has an account; only an account gets mail.',
          body: EmailBody,
          response: { 200: EmailAnswer, ...problems(400, 429) },
        },
      },
      async (request) => {
        await core.recovery.requestReset(request.body.email, contextOf(request, 'native'));
        return { email: request.body.email };
      },
    );
  }

  app.get(
    '/v1/user/confirm/:code',
    {
      schema: {
        tags: ['native'],
        summary: 'Trade the mailed code for a single-use reset token',
        params: CodeParams,
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...problems(400) },
      },
    },
    async (request) => {
      const { token, expiresAt } = await core.recovery.confirm(request.params.code);
      return { token, expiresAt: requestDateTime(request, expiresAt) };
    },
  );

  app.post(
    '/v1/user/password/reset',
    {
      schema: {
        tags: ['native'],
        summary: 'Set a new password with the reset token; revokes every session of the user',
        body: ResetBody,
        response: { 200: Type.Object({ userId: Type.String() }), ...problems(400) },
      },
    },
    async (request) => ({ userId: await core.recovery.reset(request.body.token, request.body.password, contextOf(request, 'native')) }),
  );

  const bearer = requireAuth(core.authenticator, { allowRestricted: true, allowApiKey: false });
  app.post(
    '/v1/user/password/change',
    {
      schema: {
        tags: ['native'],
        summary: 'Change the password',
        description:
          'Either `{username, oldPassword, password}` without a token, or a bearer token with `{oldPassword, password}`. ' +
          'The restricted token of an expired password needs no `oldPassword`. Revokes every session and answers a new token pair.',
        security: [...bearerSecurity, {}],
        body: ChangePasswordBody,
        response: { 200: Type.Intersect([Type.Object({ userId: Type.String() }), TokenResponse]), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const context = contextOf(request, 'native');
      const { username, oldPassword, password } = request.body;
      let user: User;
      let old = oldPassword;
      if (presentedToken(request)) {
        await bearer(request, reply);
        const principal = request.principal!;
        user = await core.users.require(principal.userId);
        if (!principal.passwordExpired && old === undefined) {
          throw new AuthError('invalid_input', 'oldPassword is required', { field: 'oldPassword' });
        }
        if (principal.passwordExpired) old = undefined;
      } else {
        if (username === undefined || oldPassword === undefined) {
          throw new AuthError('invalid_input', 'username and oldPassword are required without a bearer token', {
            field: username === undefined ? 'username' : 'oldPassword',
          });
        }
        ({ user } = await core.credentials.verify(username, oldPassword, context));
        old = undefined;
      }
      const updated = await core.credentials.change(user, password, old, context);
      return { userId: updated.id, ...tokenResponse(await core.sessions.start(updated, context)) };
    },
  );
};

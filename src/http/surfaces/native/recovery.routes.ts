import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import type { FastifyRequest } from 'fastify';
import { authenticateFor, presentedToken, userOf } from '../../shared/authenticate.js';
import { contextOf, firstParty } from '../../shared/request-context.js';
import { problems } from '../../shared/schemas.js';
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

  app.post(
    '/v1/user/password/change',
    {
      schema: {
        tags: ['native'],
        summary: 'Change the password',
        description:
          'Either `{username, oldPassword, password}` without a token, or a bearer token with `{oldPassword, password}`. ' +
          'The restricted token of an expired password needs no `oldPassword`. A wrong `oldPassword` counts in the login throttle. ' +
          'Revokes every session (API keys stay) and answers a new token pair.',
        body: ChangePasswordBody,
        response: { 200: Type.Intersect([Type.Object({ userId: Type.String() }), TokenResponse]), ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const context = contextOf(request, 'native');
      const { username, oldPassword, password } = request.body;
      const changed = presentedToken(request)
        ? await core.changePassword.byToken(await passwordChanger(request), oldPassword, password, context)
        : await core.changePassword.byUsername(username, oldPassword, password, context, firstParty('native').clientId);
      return { userId: changed.userId, ...tokenResponse(changed.tokens) };
    },
  );

  /** The bearer of a password change, authorized for `password.change` (restricted token included). */
  async function passwordChanger(request: FastifyRequest) {
    await authenticateFor(core, request, 'password.change');
    return userOf(request);
  }
};

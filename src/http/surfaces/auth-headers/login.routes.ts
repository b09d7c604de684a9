import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/tessera.js';
import { nameParts } from '../../../core/users/display-name.js';
import { contextOf, firstParty } from '../../shared/request-context.js';
import { Password, problems, Text } from '../../shared/schemas.js';
import { authHeadersDateTime, SeedDateTime } from './auth-headers-format.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const LoginResponse = Type.Object({
  Id: Type.String({ format: 'uuid' }),
  Created: SeedDateTime('UTC, or the local time of the X-nugios-timezone offset; never an offset suffix'),
  Username: Type.String(),
  Email: Nullable(Type.String()),
  Firstname: Type.String({ minLength: 1, description: 'from the name ("Last, First" or first word), else the username' }),
  Lastname: Type.String({ description: 'the rest of the name; empty for a one-word name' }),
  Token: Type.String({ description: 'access JWT' }),
  PasswordExpiration: Type.Union([SeedDateTime('like Created'), Type.Null()]),
});

/** Seed 001: `POST /user/login`. 401 wrong credentials, 403 expired password. */
export const loginRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (app, { core }) => {
  app.post(
    '/user/login',
    {
      schema: {
        tags: ['auth-headers'],
        summary: 'Log in; answers the user and a JWT',
        description: 'An expired password is 403 problem JSON with `passwordExpired: true` and a `restrictedToken` for the password change.',
        body: Type.Object({ username: Text(1024, { minLength: 1 }), password: Password }),
        response: { 200: LoginResponse, ...problems(400, 401, 403, 415) },
      },
    },
    async (request) => {
      const { user, grant } = await core.login.accessToken(request.body.username, request.body.password, contextOf(request, 'auth-headers'), firstParty('auth-headers'));
      const token = grant.access.token;
      const { first, last } = nameParts(user);
      return {
        Id: user.id,
        Created: authHeadersDateTime(request, user.createdAt),
        Username: user.username,
        Email: user.email,
        Firstname: first,
        Lastname: last,
        Token: token,
        PasswordExpiration: user.passwordExpiresAt === null ? null : authHeadersDateTime(request, user.passwordExpiresAt),
      };
    },
  );
};

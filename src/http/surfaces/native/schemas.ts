import { Type } from '@fastify/type-provider-typebox';
import { Password, RegistrationFields, Text } from '../../shared/schemas.js';

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'access token lifetime in seconds' }),
});

export const RegisterBody = Type.Object(RegistrationFields);

export const LoginBody = Type.Object({
  username: Text(1024, { minLength: 1 }),
  password: Password,
  locale: Type.Optional(Text(35)),
});

export const TokenBody = Type.Object({ token: Text(4096, { minLength: 1 }) });

export const ProfileResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ minLength: 1, description: 'the name, or the username when the user has none: never null' }),
  locale: Type.Union([Type.String(), Type.Null()]),
  addresses: Type.Array(Type.String()),
  roles: Type.Array(Type.String()),
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
});

export const AddressBody = Type.Object({ address: Text(1000, { minLength: 1 }), type: Text(100, { minLength: 1 }) });

export const EmailBody = Type.Object({ email: Text(254, { minLength: 1 }) });

export const ResetBody = Type.Object({ token: Text(512, { minLength: 1 }), password: Password });

export const CodeParams = Type.Object({ code: Text(512, { minLength: 1 }) });

export const ChangePasswordBody = Type.Object({
  username: Type.Optional(Text(1024, { minLength: 1 })),
  oldPassword: Type.Optional(Password),
  password: Password,
});


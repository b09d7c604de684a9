import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { problems, RegistrationFields, Text } from '../../shared/schemas.js';

/** Every admin route: 401 without a credential, 403 for anyone but an admin's login token. */
export const adminTags = ['admin'];

/** The error answers every admin route may give, plus the route's own. */
export function adminProblems(...statuses: number[]) {
  return problems(...new Set([400, 401, 403, ...statuses]));
}

export const Id = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Id });

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Lower-case identifiers; the core checks the exact pattern. */
export const Roles = Type.Array(Text(64, { minLength: 1 }), { maxItems: 32, description: 'lower-case identifiers, e.g. `admin`' });

/** A user as the admin API shows it: never the password hash. */
export const AdminUser = Type.Object({
  id: Id,
  username: Type.String(),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  locale: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  emailVerified: Type.Boolean(),
  locked: Type.Boolean(),
  termsAccepted: Type.Boolean(),
  passwordExpired: Type.Boolean({ description: 'the password has expired: a login buys only the restricted token' }),
  passwordExpiresAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const CreateUserBody = Type.Object({ ...RegistrationFields, roles: Type.Optional(Roles) });

export const UserListQuery = Type.Object({
  query: Type.Optional(Text(254, { description: 'part of a username or email, case-insensitive' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'page size, default 20' })),
  cursor: Type.Optional(Text(512, { minLength: 1, description: '`nextCursor` of the previous page' })),
});

export const PatchUserBody = Type.Object(
  {
    roles: Type.Optional(Roles),
    locked: Type.Optional(Type.Boolean({ description: 'locking also revokes every session of the user' })),
    emailVerified: Type.Optional(Type.Boolean()),
    passwordExpired: Type.Optional(Type.Literal(true, { description: 'expire the password now; the next login buys only the restricted token' })),
  },
  { minProperties: 1 },
);


export const AuditEvent = Type.Object({
  id: Type.String(),
  at: DateTime,
  type: Type.String(),
  userId: Nullable(Type.String()),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  detail: Type.Object({}, { additionalProperties: true, description: 'non-secret details: reason codes, surface, ids' }),
});

export const Deleted = Type.Object({ deleted: Type.Literal(true) });

import { Type } from '@fastify/type-provider-typebox';

/** A string field with an upper bound and no NUL characters. */
export function Text(maxLength: number, options: { minLength?: number; description?: string } = {}) {
  return Type.String({ maxLength, pattern: '^[^\\u0000]*$', ...options });
}

export const Password = Text(4096, { minLength: 1, description: 'checked against the password policy (8..1024 characters)' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** Standard error answers, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}

export const bearerSecurity = [{ bearerAuth: [] }];

import { Type } from '@fastify/type-provider-typebox';

/**
 * No NUL, no C0 control other than TAB, LF and CR (PEM keys and postal addresses are
 * multi-line), no DEL and no C1 control: nothing a text field means can need them, and they
 * confuse logs, mail headers and terminals.
 */
const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$';
const noControlCharacters = new RegExp(NO_CONTROL_CHARACTERS);

/**
 * A string field with an upper bound and no control characters (a 400 naming the field). NUL
 * among them matters beyond taste: PostgreSQL refuses it in text (a 500) where SQLite stores it.
 * Lone surrogates are refused before any schema, by the body parsers and the URL guard.
 */
export function Text(maxLength: number, options: { minLength?: number; description?: string } = {}) {
  return Type.String({ maxLength, pattern: NO_CONTROL_CHARACTERS, ...options });
}

/**
 * The {@link Text} rule for a value that passes no schema but still reaches a query (a Basic
 * credential from a header): the same bound and the same characters, so it answers a 4xx on
 * PostgreSQL exactly as on SQLite.
 */
export function isText(value: string, maxLength: number): boolean {
  return value.length <= maxLength && noControlCharacters.test(value);
}

export const Password = Text(4096, { minLength: 1, description: 'checked against the password policy (8..1024 characters)' });

/** What a new user is made of, on POST /v1/user and POST /v1/admin/users alike. */
export const RegistrationFields = {
  username: Text(254, { minLength: 1 }),
  password: Password,
  locale: Type.Optional(Text(35)),
  email: Type.Optional(Text(254)),
  name: Type.Optional(Text(200)),
  termsAndConditions: Type.Optional(Type.Boolean()),
};

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


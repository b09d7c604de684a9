import { Type } from '@fastify/type-provider-typebox';
import { Text } from '../../shared/schemas.js';

/** Every form carries its CSRF token (checked by csrfGuard before the schema). */
const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };

export const ResetRequestForm = Type.Object({ ...csrf, email: Text(254, { minLength: 1 }) });

/** The mailed code in the URL of the reset and verification pages. */
export const CodeParams = Type.Object({ code: Text(512, { minLength: 1 }) });

/**
 * The new-password form. `token` is the reset token of an earlier attempt whose password the
 * policy refused: the code was traded for it then (codes work once), so the retry uses it.
 */
export const NewPasswordForm = Type.Object({
  ...csrf,
  password: Text(4096, { minLength: 1 }),
  confirm: Text(4096, { minLength: 1 }),
  token: Type.Optional(Text(512, { minLength: 1 })),
});

export const ConfirmForm = Type.Object({ ...csrf });

import { Type } from '@fastify/type-provider-typebox';
import { Text } from '../../shared/schemas.js';

/** Every form carries its CSRF token (checked by csrfGuard before the schema). */
const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
/** Checked by the core's password policy; the bound only keeps the body small. */
const password = Type.String({ minLength: 1, maxLength: 1024 });
const returnTo = { return_to: Type.Optional(Type.String({ maxLength: 2048 })) };

export const SignInQuery = Type.Object({ ...returnTo });
export const SignInForm = Type.Object({ ...csrf, ...returnTo, username: Text(1024, { minLength: 1 }), password });
export const NewPasswordForm = Type.Object({ ...csrf, ...returnTo, password, password_repeat: password });
export const ChangePasswordForm = Type.Object({ ...csrf, old_password: password, password, password_repeat: password });
export const CreateKeyForm = Type.Object({ ...csrf, name: Text(100, { minLength: 1 }) });
export const IdForm = Type.Object({ ...csrf, id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) });
export const CsrfOnlyForm = Type.Object({ ...csrf });

import { Type } from '@fastify/type-provider-typebox';
import { Text } from '../../shared/schemas.js';

/** Every form carries its CSRF token (checked by csrfGuard before the schema). */
const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };

export const ResetRequestForm = Type.Object({ ...csrf, email: Text(254, { minLength: 1 }) });

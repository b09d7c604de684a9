import { firstPartyClient } from '../tokens/token-kinds.js';
import type { RequestContext } from '../context/request-context.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import type { RegistrationThrottle } from '../throttle/registration-throttle.js';
import type { UserService } from '../users/user.service.js';
import type { RegistrationInput } from '../users/user.types.js';
import { isAuthError } from '../errors.js';
import type { EmailVerificationService } from '../recovery/email-verification.service.js';

/** What a person registering themselves may set: everything but roles. */
export type SelfRegistration = Omit<RegistrationInput, 'roles'>;

export interface RegisterDependencies {
  throttle: RegistrationThrottle;
  users: UserService;
  sessions: SessionService;
  /** EMAIL_VERIFICATION=true: a registration with an email address mails a verification link. */
  verification?: { enabled: boolean; service: Pick<EmailVerificationService, 'request'> } | undefined;
}

/** Registers the caller and logs them in, answering the session's token pair. */
export type Register = (input: SelfRegistration, context: RequestContext) => Promise<TokenPair>;

/**
 * Self-service registration (POST /v1/user). The per-IP throttle comes before any work, because
 * each attempt costs an argon2 hash; then the user is created and a session started. Only the
 * documented fields are passed on, so a caller cannot slip `roles` in whatever the wire schema
 * lets through. Admin creation, the bootstrap admin and imports do not come through here and are
 * not throttled.
 */
export function createRegister({ throttle, users, sessions, verification }: RegisterDependencies): Register {
  return async (input, context) => {
    await throttle.hit(context);
    const { username, password, locale, email, name, termsAndConditions } = input;
    const user = await users.register({ username, password, locale, email, name, termsAndConditions }, context);
    if (verification?.enabled && user.email) {
      // The mail is a courtesy of registration, not a condition of it: past the mail throttle the
      // account is still created, and the user asks for the mail later (POST /v1/user/email/verify).
      await verification.service.request(user, context).catch((error: unknown) => {
        if (!(isAuthError(error) && error.code === 'rate_limited')) throw error;
      });
    }
    return sessions.start(user, context, { clientId: firstPartyClient(context.surface) });
  };
}

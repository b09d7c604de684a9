import type { UserPrincipal } from '../auth/principal.js';
import type { RequestContext } from '../context/request-context.js';
import type { CredentialService } from '../credentials/credential.service.js';
import type { PasswordReplacement } from '../credentials/password-replacement.js';
import { AuthError } from '../errors.js';
import type { Store } from '../ports.js';
import type { SessionService, TokenPair } from '../sessions/session.service.js';
import type { User } from '../users/user.types.js';

/** What proves the caller may replace the password: the current one, or the restricted token of an expired one. */
export type PasswordProof = { kind: 'old_password'; oldPassword: string | undefined } | { kind: 'restricted_token' };

export interface PasswordChanged {
  userId: string;
  tokens: TokenPair;
}

/**
 * `POST /v1/user/password/change`, by bearer token or by username and old password. The old
 * password is required unless the caller holds the restricted token of an expired password
 * (bought with that password moments ago); a wrong one counts in the login throttle. Every
 * earlier session ends (API keys stay) and the answer is a fresh session.
 */
export class ChangePassword {
  constructor(
    private readonly store: Store,
    private readonly credentials: CredentialService,
    private readonly replacement: PasswordReplacement,
    private readonly sessions: SessionService,
  ) {}

  /** The caller is authenticated and authorized for `password.change` (policy.ts). */
  async byToken(principal: UserPrincipal, oldPassword: string | undefined, password: string, context: RequestContext): Promise<PasswordChanged> {
    const proof: PasswordProof = principal.credential === 'restricted' ? { kind: 'restricted_token' } : { kind: 'old_password', oldPassword };
    const tokens = await this.forUser(principal.user, proof, password, context, (user) => this.sessions.start(user, context, { clientId: principal.clientId }));
    return { userId: principal.userId, tokens };
  }

  /**
   * The same change for a caller that buys its own kind of session with the new password (the
   * browser starts a browser session): `start` runs once the password is replaced and every
   * earlier session has ended. `restricted_token` only for a caller holding that token.
   */
  async forUser<T>(user: User, proof: PasswordProof, password: string, context: RequestContext, start: (updated: User) => Promise<T>): Promise<T> {
    if (proof.kind === 'old_password') {
      if (proof.oldPassword === undefined) throw new AuthError('invalid_input', 'oldPassword is required', { field: 'oldPassword' });
      await this.credentials.verifyCurrent(user, proof.oldPassword, context);
    }
    return start(await this.replaceOnly(user, password, context));
  }

  async byUsername(username: string | undefined, oldPassword: string | undefined, password: string, context: RequestContext, clientId: string): Promise<PasswordChanged> {
    if (username === undefined || oldPassword === undefined) {
      throw new AuthError('invalid_input', 'username and oldPassword are required without a bearer token', {
        field: username === undefined ? 'username' : 'oldPassword',
      });
    }
    const { user } = await this.credentials.verify(username, oldPassword, context);
    return this.replace(user, password, context, clientId);
  }

  private async replace(user: User, password: string, context: RequestContext, clientId: string): Promise<PasswordChanged> {
    const updated = await this.replaceOnly(user, password, context);
    return { userId: updated.id, tokens: await this.sessions.start(updated, context, { clientId }) };
  }

  private async replaceOnly(user: User, password: string, context: RequestContext): Promise<User> {
    const passwordHash = await this.replacement.prepare(user, password, 'password_changed');
    await this.store.transaction((tx) => this.replacement.commit(tx, user, passwordHash, 'password_changed'));
    await this.replacement.announce(user, 'password_changed', context);
    const updated = await this.store.users.findById(user.id);
    if (!updated) throw new AuthError('invalid_token', 'the user no longer exists');
    return updated;
  }
}

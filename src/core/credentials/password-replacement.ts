import type { AuditService } from '../audit/audit.service.js';
import type { BackgroundTasks } from '../background-tasks.js';
import type { RequestContext } from '../context/request-context.js';
import type { Clock, Mailer, Repositories } from '../ports.js';
import { passwordChangedMail } from '../recovery/recovery-mail.js';
import type { SessionService } from '../sessions/session.service.js';
import type { User } from '../users/user.types.js';
import type { CredentialService } from './credential.service.js';

export type ReplacementReason = 'password_changed' | 'password_reset';

/**
 * The one step that replaces a password, shared by change and reset: check the policy and the
 * history, hash, then in the caller's transaction write the hash, remember the old one and end
 * every session; after the commit, audit and mail the owner.
 */
export class PasswordReplacement {
  constructor(
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly mailer: Mailer,
    private readonly tasks: BackgroundTasks,
    private readonly clock: Clock,
    private readonly publicUrl: string,
    /** PRODUCT_NAME, in the password-changed mail. */
    private readonly productName = 'Tessera',
  ) {}

  /** Policy, history and hashing, before any write (a rejected password burns nothing). */
  prepare(user: User, password: string, reason: ReplacementReason): Promise<string> {
    return this.credentials.hashReplacement(user, password, reason === 'password_changed');
  }

  /** Writes the new hash and ends every session of the user, inside `tx`. */
  async commit(tx: Repositories, user: User, passwordHash: string, reason: ReplacementReason): Promise<void> {
    const now = this.clock.now();
    await tx.users.update(user.id, {
      passwordHash,
      passwordChangedAt: now,
      passwordExpiresAt: this.credentials.passwordExpiry(now),
      updatedAt: now,
    });
    await this.credentials.rememberReplaced(tx, user, now);
    await this.sessions.revokeAll(tx, user.id, reason);
  }

  /** After the commit: the audit event and the mail that tells the owner. */
  async announce(user: User, reason: ReplacementReason, context: RequestContext): Promise<void> {
    await this.audit.record(reason === 'password_reset' ? 'password.reset' : 'password.changed', { userId: user.id, context });
    const email = user.email;
    if (email) this.tasks.run('password-changed-mail', () => this.mailer.send(passwordChangedMail(email, this.publicUrl, reason === 'password_reset' ? 'reset' : 'changed', this.productName)));
  }
}

import type { AuditService } from '../audit/audit.service.js';
import type { BackgroundTasks } from '../background-tasks.js';
import type { CredentialService } from '../credentials/credential.service.js';
import type { PasswordReplacement } from '../credentials/password-replacement.js';
import { AuthError } from '../errors.js';
import type { Clock, Mailer, Store } from '../ports.js';
import type { RequestContext } from '../context/request-context.js';
import type { MailThrottle } from '../throttle/mail-throttle.js';
import { looksLikeEmail } from '../users/username.js';
import type { OneTimeCodes } from './one-time-codes.js';
import type { CodePurpose } from './recovery.types.js';
import { resetMail } from './recovery-mail.js';

export interface RecoveryOptions {
  publicUrl: string;
  codeTtlSeconds: number;
  /** PRODUCT_NAME, in the mails. */
  productName?: string | undefined;
}

/**
 * Password recovery: restore/resend mail a code, confirm trades the code for a reset token, reset
 * sets the password with it. The answer to restore/resend is the same for unknown addresses, and
 * all lookup and mail work happens after the answer, so its timing reveals nothing either.
 */
export class RecoveryService {
  constructor(
    private readonly store: Store,
    private readonly codes: OneTimeCodes,
    private readonly credentials: CredentialService,
    private readonly replacement: PasswordReplacement,
    private readonly mailer: Mailer,
    private readonly tasks: BackgroundTasks,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: RecoveryOptions,
    private readonly throttle: MailThrottle,
  ) {}

  /**
   * Schedules a reset mail for `email` if it belongs to a user; returns at once either way. The
   * per-address and per-IP limits count every address alike, known or not.
   */
  async requestReset(email: string, context: RequestContext): Promise<void> {
    const address = email.normalize('NFKC').trim().toLowerCase();
    if (!looksLikeEmail(address)) return;
    await this.throttle.hit(address, context);
    this.tasks.run('password-reset-mail', async () => {
      const user = await this.store.users.findByEmail(address);
      if (!user || !user.email) return;
      const { code, replaced } = await this.store.transaction((tx) => this.codes.issue(tx, user.id, 'reset_code', this.options.codeTtlSeconds));
      await this.audit.record('password.reset_requested', { userId: user.id, context });
      const ttlMinutes = Math.round(this.options.codeTtlSeconds / 60);
      await this.mailer.send(resetMail({ to: user.email, publicUrl: this.options.publicUrl, productName: this.options.productName, code, ttlMinutes, replacesEarlier: replaced > 0 }));
    });
  }

  /**
   * Whether a mailed reset code would still work, without using it: the reset page's GET (a mail
   * scanner that opens the link must not burn the code). Answers the holder's locale for the page.
   */
  async check(code: string): Promise<{ locale: string | null } | null> {
    const userId = await this.codes.peek(this.store, code, 'reset_code');
    const user = userId ? await this.store.users.findById(userId) : undefined;
    return user ? { locale: user.locale } : null;
  }

  /** Trades a mailed code (single use) for a reset token (single use, same lifetime). */
  async confirm(code: string): Promise<{ token: string; expiresAt: number }> {
    const issued = await this.store.transaction(async (tx) => {
      const userId = await this.codes.consume(tx, code, 'reset_code');
      if (!userId) return undefined;
      return this.codes.issue(tx, userId, 'reset_token', this.options.codeTtlSeconds);
    });
    if (!issued) throw new AuthError('reset_code_invalid', 'the code is invalid, expired or already used');
    return { token: issued.code, expiresAt: issued.expiresAt };
  }

  /**
   * Sets a new password with a reset token. Recovery by mail proves the owner and nothing else
   * about the account's past, so it ends every credential in the same transaction: every session
   * (and so every access token, also seed 003's 24 h one), every API key, every outstanding code;
   * and it clears the login backoff, so a guesser cannot keep the owner locked out. The policy
   * and history are checked before the token is used, so a rejected password does not burn it.
   */
  async reset(token: string, password: string, context: RequestContext): Promise<string> {
    const invalid = () => new AuthError('reset_token_invalid', 'the reset token is invalid, expired or already used', { field: 'token' });
    const holder = await this.codes.peek(this.store, token, 'reset_token');
    const user = holder ? await this.store.users.findById(holder) : undefined;
    if (!user) throw invalid();
    const passwordHash = await this.replacement.prepare(user, password, 'password_reset');
    const now = this.clock.now();
    const userId = await this.store.transaction(async (tx) => {
      const used = await this.codes.consume(tx, token, 'reset_token');
      if (used !== user.id) return undefined;
      await this.replacement.commit(tx, user, passwordHash, 'password_reset');
      await tx.apiKeys.deleteAllForUser(user.id);
      for (const purpose of OUTSTANDING_CODES) await tx.recovery.invalidate(user.id, purpose, now);
      return user.id;
    });
    if (!userId) throw invalid();
    await this.credentials.clearBackoff(user, context);
    await this.replacement.announce(user, 'password_reset', context);
    return userId;
  }
}

/** Codes a reset makes worthless: later reset codes and tokens, pending address verification. */
const OUTSTANDING_CODES: readonly CodePurpose[] = ['reset_code', 'reset_token', 'email_verification'];

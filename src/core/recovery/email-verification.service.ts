import type { BackgroundTasks } from '../background-tasks.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { User } from '../users/user.types.js';
import type { Clock, Mailer, Store } from '../ports.js';
import type { MailThrottle } from '../throttle/mail-throttle.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { verificationMail } from './recovery-mail.js';

export interface EmailVerificationOptions {
  publicUrl: string;
  codeTtlSeconds: number;
  /** PRODUCT_NAME, in the mail. */
  productName?: string | undefined;
}

/** Proves a user controls their email address with a mailed single-use code. */
export class EmailVerificationService {
  constructor(
    private readonly store: Store,
    private readonly codes: OneTimeCodes,
    private readonly mailer: Mailer,
    private readonly tasks: BackgroundTasks,
    private readonly clock: Clock,
    private readonly options: EmailVerificationOptions,
    private readonly throttle: MailThrottle,
  ) {}

  /**
   * Mails a fresh code to the user's address; the previous code dies. The mail throttle counts it
   * like a reset mail (per address and per IP), so a token or API key cannot make Tessera mail an
   * address it does not own over and over.
   */
  async request(user: User, context: RequestContext): Promise<string> {
    if (!user.email) throw new AuthError('invalid_input', 'the account has no email address', { field: 'email' });
    const email = user.email;
    await this.throttle.hit(email, context);
    const { code, replaced } = await this.store.transaction((tx) => this.codes.issue(tx, user.id, 'email_verification', this.options.codeTtlSeconds));
    const ttlMinutes = Math.round(this.options.codeTtlSeconds / 60);
    this.tasks.run('email-verification-mail', () =>
      this.mailer.send(verificationMail({ to: email, publicUrl: this.options.publicUrl, productName: this.options.productName, code, ttlMinutes, replacesEarlier: replaced > 0 })),
    );
    return email;
  }

  /**
   * Whether a verification code would still work, without using it: the page a mail link opens
   * (GET) only shows a button; mail scanners open links, and opening must verify nothing.
   */
  async check(code: string): Promise<{ locale: string | null } | null> {
    const userId = await this.codes.peek(this.store, code, 'email_verification');
    const user = userId ? await this.store.users.findById(userId) : undefined;
    return user ? { locale: user.locale } : null;
  }

  /** Marks the address verified; the code works once. */
  async verify(code: string): Promise<string> {
    const userId = await this.store.transaction(async (tx) => {
      const id = await this.codes.consume(tx, code, 'email_verification');
      if (id) await tx.users.update(id, { emailVerified: true, updatedAt: this.clock.now() });
      return id;
    });
    if (!userId) throw new AuthError('reset_code_invalid', 'the code is invalid, expired or already used');
    return userId;
  }
}

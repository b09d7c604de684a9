import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { PasswordPolicy } from '../password-policy/password-policy.js';
import type { Clock, PasswordHasher, Repositories, Store } from '../ports.js';
import { randomToken } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import type { LoginThrottle } from '../throttle/login-throttle.js';
import { isActive } from '../users/user-status.js';
import { hasPassword } from '../users/new-user.js';
import { tryNormalizeUsername } from '../users/username.js';
import type { User } from '../users/user.types.js';

export interface CredentialOptions {
  /** 0 = passwords never expire (NIST 800-63B); otherwise days from the last change. */
  passwordMaxAgeDays: number;
  /** PASSWORD_HISTORY: how many replaced passwords a new one may not repeat (0 = off). */
  passwordHistory: number;
}

export interface VerifiedLogin {
  user: User;
  passwordExpired: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Password verification with the rules every surface shares: the same work (one argon2 verify)
 * whether or not the user exists, rehash when the hashing parameters changed, lock and expiry.
 */
export class CredentialService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: CredentialOptions,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Hashes of a random password made once, so unknown users cost the same verify as known ones. */
  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomToken(24));
    return this.dummyHash;
  }

  /** Warms the dummy hash at start-up so the first unknown-user login is not measurably faster. */
  async init(): Promise<void> {
    await this.dummy();
  }

  passwordExpiry(changedAt: number): number | null {
    return this.options.passwordMaxAgeDays > 0 ? changedAt + this.options.passwordMaxAgeDays * DAY_MS : null;
  }

  isExpired(user: User): boolean {
    return user.passwordExpiresAt !== null && user.passwordExpiresAt <= this.clock.now();
  }

  /**
   * Checks a username and password; throws `invalid_credentials` alike for an unknown user, a
   * wrong password and a locked account (the right password of a locked account confirms
   * nothing), each costing one argon2 verify and counting in the throttle.
   */
  async verify(username: string, password: string, context: RequestContext): Promise<VerifiedLogin> {
    const normalized = tryNormalizeUsername(username);
    const throttleKey = normalized?.key ?? username.trim().toLowerCase().slice(0, 256);
    const release = await this.throttle.check(throttleKey, context);
    const candidate = this.policy.normalize(password);
    const user = await this.matchPassword(normalized?.key, candidate, throttleKey, context).finally(release);
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.store.users.update(user.id, { passwordHash: await this.hasher.hash(candidate) });
    }
    return { user, passwordExpired: this.isExpired(user) };
  }

  /**
   * Checks the current password of a user who is already authenticated (a bearer password
   * change): throttled and counted like a login, so a stolen token buys no free guessing.
   */
  async verifyCurrent(user: User, password: string, context: RequestContext): Promise<void> {
    const release = await this.throttle.check(user.usernameKey, context);
    try {
      if (!(await this.hasher.verify(user.passwordHash, this.policy.normalize(password)))) {
        await this.throttle.failed(user.usernameKey, user.id, context);
        await this.audit.record('password.changed', { userId: user.id, outcome: 'failure', context, detail: { reason: 'wrong_password' } });
        throw new AuthError('invalid_credentials', 'the current password is incorrect');
      }
      await this.throttle.succeeded(user.usernameKey, context);
    } finally {
      release();
    }
  }

  /** Forgets the account's failed logins (a reset by mail proved the owner). */
  clearBackoff(user: User, context: RequestContext): Promise<void> {
    return this.throttle.succeeded(user.usernameKey, context);
  }

  /**
   * The user `candidate` is the password of, told to the throttle either way: one argon2 verify
   * whether or not the user exists, and the same `invalid_credentials` for both.
   */
  private async matchPassword(usernameKey: string | undefined, candidate: string, throttleKey: string, context: RequestContext): Promise<User> {
    const user = usernameKey ? await this.store.users.findByUsernameKey(usernameKey) : undefined;
    const hash = user && hasPassword(user) ? user.passwordHash : undefined;
    const ok = (await this.hasher.verify(hash ?? (await this.dummy()), candidate)) && hash !== undefined;
    if (!user || !ok || !isActive(user)) {
      await this.throttle.failed(throttleKey, user?.id ?? null, context);
      await this.audit.record('login.failed', {
        userId: user?.id ?? null,
        outcome: 'failure',
        context,
        detail: { reason: !user ? 'unknown_user' : !ok ? 'wrong_password' : 'locked' },
      });
      throw new AuthError('invalid_credentials', 'the username or password is incorrect');
    }
    await this.throttle.succeeded(throttleKey, context);
    return user;
  }

  /** Expires the user's password now: the next login buys only the restricted token. */
  async expireNow(userId: string, context: RequestContext): Promise<void> {
    const now = this.clock.now();
    if (!(await this.store.users.findById(userId))) throw new AuthError('not_found', 'no such user');
    await this.store.users.update(userId, { passwordExpiresAt: now, updatedAt: now });
    await this.audit.record('password.expired', { userId, context });
  }

  /** Checks the policy and hashes a new password for `user` (no write). */
  async hashNew(user: Pick<User, 'username'>, password: string, field = 'password'): Promise<string> {
    const normalized = this.policy.check(password, { username: user.username }, field);
    return this.hasher.hash(normalized);
  }

  /**
   * Checks the policy and the history and hashes a password that is to replace `user`'s current
   * one (no write: PasswordReplacement writes it). A change always refuses the current password;
   * a reset refuses it only with history on.
   */
  async hashReplacement(user: User, password: string, refuseCurrent: boolean): Promise<string> {
    const normalized = this.policy.check(password, { username: user.username });
    await this.refuseReuse(user, normalized, refuseCurrent);
    return this.hasher.hash(normalized);
  }

  /** Keeps the hash being replaced in the history (and only the newest PASSWORD_HISTORY of them). */
  rememberReplaced(tx: Repositories, user: User, now: number): Promise<void> {
    return tx.passwordHistory.record(user.id, user.passwordHash, now, this.options.passwordHistory);
  }

  /**
   * Refuses the current password (always on a change, on a reset only with history on) and any
   * of the last PASSWORD_HISTORY replaced ones. One argon2 verify per remembered hash: the
   * history holds hashes, never passwords.
   */
  private async refuseReuse(user: User, normalized: string, alwaysCurrent: boolean): Promise<void> {
    const depth = this.options.passwordHistory;
    if ((alwaysCurrent || depth > 0) && (await this.hasher.verify(user.passwordHash, normalized))) {
      throw new AuthError('password_rejected', 'the new password must differ from the current one', { field: 'password' });
    }
    for (const hash of await this.store.passwordHistory.recent(user.id, depth)) {
      if (await this.hasher.verify(hash, normalized)) {
        throw new AuthError('password_rejected', 'the password was used recently', { field: 'password' });
      }
    }
  }
}

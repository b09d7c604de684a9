import { AuthError } from '../errors.js';
import type { CommonPasswordList } from '../ports.js';

export interface PasswordPolicyOptions {
  minLength: number;
  maxLength: number;
}

/**
 * NIST 800-63B style policy: length bounds counted in code points after NFKC, a blocklist of
 * common passwords, no composition rules. Checked before hashing, so an over-long password never
 * reaches argon2.
 */
export class PasswordPolicy {
  constructor(
    private readonly options: PasswordPolicyOptions,
    private readonly common: CommonPasswordList,
  ) {}

  /** NFKC form, so that the same password typed on two keyboards hashes the same. */
  normalize(password: string): string {
    return password.normalize('NFKC');
  }

  /** Returns the normalized password or throws `password_rejected` naming the rule. */
  check(password: string, context: { username?: string } = {}, field = 'password'): string {
    const normalized = this.normalize(password);
    const length = [...normalized].length;
    const reject = (detail: string): never => {
      throw new AuthError('password_rejected', detail, { field });
    };
    if (length < this.options.minLength) {
      reject(`password must be at least ${this.options.minLength} characters`);
    }
    if (length > this.options.maxLength) {
      reject(`password must be at most ${this.options.maxLength} characters`);
    }
    if (normalized.includes('\u0000')) reject('password must not contain NUL characters');
    if (this.common.has(normalized)) reject('password is too common');
    if (context.username && normalized.toLowerCase() === context.username.toLowerCase()) {
      reject('password must not equal the username');
    }
    return normalized;
  }
}

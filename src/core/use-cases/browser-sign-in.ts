import type { Authenticator } from '../auth/authenticator.js';
import type { BrowserSessionService } from '../browser-sessions/browser-session.service.js';
import type { BrowserSession, StartedBrowserSession } from '../browser-sessions/browser-session.types.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError, isAuthError } from '../errors.js';
import type { ChangePassword } from './change-password.js';
import type { PasswordLogin } from './password-login.js';

export type BrowserSignInResult =
  | { kind: 'signed_in'; started: StartedBrowserSession }
  /** The password is right but expired: `restrictedToken` pays for the change form, nothing else. */
  | { kind: 'password_expired'; restrictedToken: string; expiresIn: number };

/**
 * The browser's sign-in and password change: the same password login, throttle and change rules
 * as the API (password-login.ts, change-password.ts); what a proven password buys here is a
 * browser session instead of tokens.
 */
export class BrowserSignIn {
  constructor(
    private readonly login: PasswordLogin,
    private readonly change: ChangePassword,
    private readonly sessions: BrowserSessionService,
    private readonly authenticator: Authenticator,
  ) {}

  /**
   * `replaces`: the cookie of the session this browser had (a sign-in again, `prompt=login`, or
   * another person at the same computer); it ends once the new one exists, so a browser never
   * holds two, and the earlier cookie is dead even where a copy of it was kept.
   */
  async signIn(username: string, password: string, context: RequestContext, replaces?: string): Promise<BrowserSignInResult> {
    const result = await this.login.browser(username, password, context, (user) => this.sessions.start(user, context));
    if (result.kind === 'password_expired') {
      return { kind: 'password_expired', restrictedToken: result.restricted.token, expiresIn: result.restricted.expiresIn };
    }
    if (replaces !== undefined) await this.sessions.end(replaces, context);
    return { kind: 'signed_in', started: result.started };
  }

  /** The change form after an expired password: the restricted token proves the old one. */
  async completeExpired(restrictedToken: string, password: string, context: RequestContext): Promise<StartedBrowserSession> {
    const principal = await this.authenticator.verify(restrictedToken).catch((error: unknown) => {
      if (isAuthError(error) && error.code !== 'unavailable') return undefined;
      throw error;
    });
    if (principal?.subject !== 'user' || principal.credential !== 'restricted') {
      throw new AuthError('invalid_token', 'the sign-in has expired; sign in again');
    }
    return this.change.forUser(principal.user, { kind: 'restricted_token' }, password, context, (user) => this.sessions.start(user, context));
  }

  /**
   * The account page's change: the current password is checked (and throttled) like a login;
   * every session ends, this browser's included, and a new browser session starts.
   */
  changePassword(session: BrowserSession, oldPassword: string, password: string, context: RequestContext): Promise<StartedBrowserSession> {
    return this.change.forUser(session.user, { kind: 'old_password', oldPassword }, password, context, (user) => this.sessions.start(user, context));
  }
}

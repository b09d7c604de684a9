import type { User } from '../users/user.types.js';

/**
 * What a browser's session cookie proves, as the pages and the OIDC endpoints see it: a person
 * signed in with a password at `authTime`, in the core session `sessionId` (revoking that session
 * anywhere signs the browser out).
 */
export interface BrowserSession {
  sessionId: string;
  user: User;
  /** Epoch seconds of the password sign-in (OIDC `auth_time`). */
  authTime: number;
  /** How the person signed in (OIDC `amr`): `['pwd']`. */
  amr: string[];
}

/**
 * The row beside a core session that makes it a browser session: only the hash of the cookie's
 * secret is kept, like refresh tokens, so a copy of the database signs nobody in.
 */
export interface BrowserSessionRecord {
  sessionId: string;
  secretHash: string;
  /** Epoch milliseconds of the password sign-in. */
  authTime: number;
  amr: string[];
}

/** A browser session just started: `cookie` is what the browser keeps (the session id and the secret). */
export interface StartedBrowserSession {
  session: BrowserSession;
  cookie: string;
  /** Epoch milliseconds of the session's absolute end (the cookie's Expires). */
  expiresAt: number;
}

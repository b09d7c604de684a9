/**
 * Interfaces the core needs from the outside world. The core owns them; `storage/` and `infra/`
 * implement them, and only `app.ts` wires implementations in.
 */
import type { AccountRepo } from './accounts/account.repo.js';
import type { ApiKeyRepo } from './api-keys/api-key.repo.js';
import type { AuditRepo } from './audit/audit.repo.js';
import type { BrowserSessionRepo } from './browser-sessions/browser-session.repo.js';
import type { AuditEvent } from './audit/audit.types.js';
import type { ClientRepo } from './clients/client.repo.js';
import type { PasswordHistoryRepo } from './credentials/password-history.repo.js';
import type { IssuerRepo } from './issuers/issuer.repo.js';
import type { AuthorizationCodeRepo, ConsentRepo, OidcGrantRepo } from './oidc/oidc.repo.js';
import type { RecoveryRepo } from './recovery/recovery.repo.js';
import type { SessionRepo } from './sessions/session.repo.js';
import type { SigningKeyRepo } from './signing-keys/signing-key.repo.js';
import type { UserRepo } from './users/user.repo.js';

/** Wall-clock time in epoch milliseconds; injectable so tests control expiry without sleeping. */
export interface Clock {
  now(): number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** True when the stored hash was made with other parameters than the current ones. */
  needsRehash(hash: string): boolean;
}

/** An offline list of passwords too common to accept. */
export interface CommonPasswordList {
  has(password: string): boolean;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Minimal structured logger (pino-compatible). Never pass secrets in `fields`. */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Told about every audit event once it has been recorded, so that infrastructure (metrics, for
 * instance) can count logins or refresh-token reuse without the core knowing about it. Called
 * synchronously; it must be cheap and must not throw (a throw is logged and ignored).
 */
export interface AuditObserver {
  onEvent(event: AuditEvent): void;
}

export interface Repositories {
  users: UserRepo;
  sessions: SessionRepo;
  signingKeys: SigningKeyRepo;
  recovery: RecoveryRepo;
  accounts: AccountRepo;
  apiKeys: ApiKeyRepo;
  clients: ClientRepo;
  issuers: IssuerRepo;
  audit: AuditRepo;
  passwordHistory: PasswordHistoryRepo;
  browserSessions: BrowserSessionRepo;
  authorizationCodes: AuthorizationCodeRepo;
  consents: ConsentRepo;
  oidcGrants: OidcGrantRepo;
}

/**
 * The storage the core runs on. `transaction` runs `work` atomically: everything it does through
 * the repositories it is given commits together or not at all.
 */
export interface Store extends Repositories {
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

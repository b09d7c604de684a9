/**
 * The core's composition: every service wired to the ports it needs. `app.ts` supplies the ports
 * (storage, hasher, mailer, clock) and the options from configuration.
 */
import { AccountService } from './accounts/account.service.js';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { KeyCipher } from './crypto/key-cipher.js';
import { AuditService } from './audit/audit.service.js';
import { ClientService } from './clients/client.service.js';
import { IssuerService } from './issuers/issuer.service.js';
import { Authenticator } from './auth/authenticator.js';
import { TokenExchangeService } from './auth/token-exchange.service.js';
import { BackgroundTasks } from './background-tasks.js';
import { CredentialService } from './credentials/credential.service.js';
import { LoginService } from './credentials/login.service.js';
import { PasswordPolicy } from './password-policy/password-policy.js';
import type { AuditObserver, Clock, CommonPasswordList, Logger, Mailer, PasswordHasher, Store } from './ports.js';
import { EmailVerificationService } from './recovery/email-verification.service.js';
import { OneTimeCodes } from './recovery/one-time-codes.js';
import { RecoveryService } from './recovery/recovery.service.js';
import { SessionService } from './sessions/session.service.js';
import { SigningKeyService } from './signing-keys/signing-key.service.js';
import type { SigningAlgorithm } from './signing-keys/signing-key.types.js';
import { AccessTokenService } from './tokens/access-token.service.js';
import { LoginThrottle } from './throttle/login-throttle.js';
import { MailThrottle } from './throttle/mail-throttle.js';
import type { ThrottleStore } from './throttle/throttle-store.js';
import { UserAdminService } from './users/user-admin.service.js';
import { UserService } from './users/user.service.js';

export interface CoreOptions {
  issuer: string;
  audience: string;
  publicUrl: string;
  signingAlgorithm: SigningAlgorithm;
  accessTtlSeconds: number;
  longAccessTtlSeconds: number;
  restrictedTtlSeconds: number;
  refreshTtlSeconds: number;
  codeTtlSeconds: number;
  passwordMinLength: number;
  passwordMaxLength: number;
  passwordMaxAgeDays: number;
  /** How many replaced passwords a new one may not repeat (0 = off). */
  passwordHistory: number;
  clockToleranceSeconds: number;
  /** 32 bytes: keep API keys encrypted at rest so lists can show them (legacy option); unset = hash only. */
  apiKeyEncryptionKey?: Buffer | undefined;
  /** Days after which the signing key is replaced automatically (0 = only by hand). */
  keyRotationDays: number;
  /** 32 bytes: encrypt signing keys at rest (KEY_ENCRYPTION_KEY). */
  keyEncryptionKey?: Buffer | undefined;
  /** Whether /oauth2/token accepts grant_type=password. */
  passwordGrant: boolean;
  throttle: {
    loginAccountFreeAttempts: number;
    loginIpFreeAttempts: number;
    loginMaxDelaySeconds: number;
    mailPerAddress: number;
    mailPerIp: number;
    windowSeconds: number;
  };
}

export interface CorePorts {
  store: Store;
  hasher: PasswordHasher;
  commonPasswords: CommonPasswordList;
  mailer: Mailer;
  throttleStore: ThrottleStore;
  clock: Clock;
  logger: Logger;
  /** Told about every audit event after it is recorded (e.g. to count logins); optional. */
  auditObserver?: AuditObserver | undefined;
}

export type Core = ReturnType<typeof createCore>;

export function createCore(ports: CorePorts, options: CoreOptions) {
  const { store, hasher, commonPasswords, mailer, clock, logger, auditObserver } = ports;
  const tasks = new BackgroundTasks(logger);
  const audit = new AuditService(store.audit, clock, logger, auditObserver);
  const policy = new PasswordPolicy({ minLength: options.passwordMinLength, maxLength: options.passwordMaxLength }, commonPasswords);
  const keys = new SigningKeyService(store.signingKeys, clock, {
    algorithm: options.signingAlgorithm,
    // a token stays acceptable until exp + the clock tolerance; its key must stay published that long
    maxTokenLifetimeMs:
      (Math.max(options.accessTtlSeconds, options.longAccessTtlSeconds, options.restrictedTtlSeconds) + options.clockToleranceSeconds) * 1000,
    reloadIntervalMs: 60_000,
    rotationIntervalMs: options.keyRotationDays * 86_400_000,
    cipher: options.keyEncryptionKey ? new KeyCipher(options.keyEncryptionKey) : undefined,
  });
  const tokens = new AccessTokenService(keys, clock, {
    issuer: options.issuer,
    audience: options.audience,
    accessTtlSeconds: options.accessTtlSeconds,
    restrictedTtlSeconds: options.restrictedTtlSeconds,
    clockToleranceSeconds: options.clockToleranceSeconds,
  });
  const t = options.throttle;
  const loginThrottle = new LoginThrottle(ports.throttleStore, audit, clock, {
    accountFreeAttempts: t.loginAccountFreeAttempts,
    ipFreeAttempts: t.loginIpFreeAttempts,
    baseDelayMs: 1_000,
    maxDelayMs: t.loginMaxDelaySeconds * 1000,
    windowMs: t.windowSeconds * 1000,
  });
  const mailThrottle = new MailThrottle(ports.throttleStore, audit, clock, {
    perAddress: t.mailPerAddress,
    perIp: t.mailPerIp,
    windowMs: t.windowSeconds * 1000,
  });
  const credentialOptions = { passwordMaxAgeDays: options.passwordMaxAgeDays, passwordHistory: options.passwordHistory };
  const credentials = new CredentialService(store, hasher, policy, audit, clock, credentialOptions, loginThrottle);
  const sessions = new SessionService(store, tokens, audit, clock, { refreshTtlSeconds: options.refreshTtlSeconds });
  const codes = new OneTimeCodes(clock);
  const apiKeys = new ApiKeyService(store, audit, clock, options.apiKeyEncryptionKey ? new KeyCipher(options.apiKeyEncryptionKey) : undefined);
  const users = new UserService(store, credentials, audit, clock);
  const issuers = new IssuerService(store, audit, clock, options.clockToleranceSeconds);
  const mailOptions = { publicUrl: options.publicUrl, codeTtlSeconds: options.codeTtlSeconds };
  return {
    options,
    store,
    clock,
    tasks,
    audit,
    policy,
    keys,
    tokens,
    credentials,
    sessions,
    apiKeys,
    authenticator: new Authenticator(store, tokens, apiKeys),
    tokenExchange: new TokenExchangeService(store, apiKeys, issuers, sessions, audit),
    issuers,
    clients: new ClientService(store, tokens, audit, clock),
    accounts: new AccountService(store, clock),
    login: new LoginService(credentials, sessions, audit),
    users,
    userAdmin: new UserAdminService(store, users, credentials, audit, clock),
    recovery: new RecoveryService(store, codes, credentials, mailer, tasks, audit, clock, mailOptions, mailThrottle),
    emailVerification: new EmailVerificationService(store, codes, mailer, tasks, clock, mailOptions),
    /** Creates the signing key if none exists and warms what the first request would otherwise pay for. */
    async init(): Promise<void> {
      await keys.init();
      await credentials.init();
    },
  };
}

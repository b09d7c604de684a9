/**
 * The core's composition: every service wired to the ports it needs. `app.ts` supplies the ports
 * (storage, hasher, mailer, clock) and the options from configuration.
 */
import { AccountService } from './accounts/account.service.js';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { KeyCipher } from './crypto/key-cipher.js';
import { AuditRetention } from './audit/audit-retention.js';
import { AuditService } from './audit/audit.service.js';
import { BrowserSessionService } from './browser-sessions/browser-session.service.js';
import { ClientService } from './clients/client.service.js';
import { IssuerService } from './issuers/issuer.service.js';
import { Authenticator } from './auth/authenticator.js';
import { BackgroundTasks } from './background-tasks.js';
import { CredentialService } from './credentials/credential.service.js';
import { PasswordReplacement } from './credentials/password-replacement.js';
import { PasswordPolicy } from './password-policy/password-policy.js';
import type { AuditObserver, Clock, CommonPasswordList, Logger, Mailer, PasswordHasher, Store } from './ports.js';
import { EmailVerificationService } from './recovery/email-verification.service.js';
import { OneTimeCodes } from './recovery/one-time-codes.js';
import { RecoveryService } from './recovery/recovery.service.js';
import { SessionService } from './sessions/session.service.js';
import { SigningKeyService } from './signing-keys/signing-key.service.js';
import { ConsentService } from './oidc/consent.service.js';
import { IdTokenService } from './tokens/id-token.service.js';
import type { SigningAlgorithm } from './signing-keys/signing-key.types.js';
import { AccessTokenService } from './tokens/access-token.service.js';
import { LoginThrottle } from './throttle/login-throttle.js';
import { MailThrottle } from './throttle/mail-throttle.js';
import { RegistrationThrottle } from './throttle/registration-throttle.js';
import { RequestLimiter } from './throttle/request-limiter.js';
import type { ThrottleStore } from './throttle/throttle-store.js';
import { UserAdminService } from './users/user-admin.service.js';
import { UserImportService } from './users/user-import.service.js';
import { UserService } from './users/user.service.js';
import { createRegister, type Register } from './use-cases/register.js';
import { BrowserSignIn } from './use-cases/browser-sign-in.js';
import { ChangePassword } from './use-cases/change-password.js';
import { Introspect } from './use-cases/introspect.js';
import { PasswordLogin } from './use-cases/password-login.js';
import { Revoke } from './use-cases/revoke.js';
import { TokenExchange } from './use-cases/token-exchange.js';
import type { Principal } from './auth/principal.js';
import { rotateSigningKey, type RotateSigningKey } from './use-cases/rotate-signing-key.js';
import { Authorize } from './use-cases/authorize.js';
import { EndSession } from './use-cases/end-session.js';
import { RedeemAuthorizationCode } from './use-cases/redeem-authorization-code.js';
import { UserInfo } from './use-cases/userinfo.js';
import { ClientRefresh } from './use-cases/client-refresh.js';

export interface CoreOptions {
  issuer: string;
  audience: string;
  publicUrl: string;
  signingAlgorithm: SigningAlgorithm;
  accessTtlSeconds: number;
  /** Lifetime of seed 003's `/v1/api/auth/token` tokens (IOT_TOKEN_TTL). */
  iotTokenTtlSeconds: number;
  restrictedTtlSeconds: number;
  refreshTtlSeconds: number;
  /** Absolute lifetime of a refresh family (REFRESH_ABSOLUTE_TTL). */
  refreshAbsoluteTtlSeconds: number;
  /** Browser sessions: idle and absolute lifetimes (BROWSER_SESSION_IDLE_TTL, BROWSER_SESSION_TTL). */
  browserSessionIdleTtlSeconds: number;
  browserSessionTtlSeconds: number;
  codeTtlSeconds: number;
  /** PRODUCT_NAME, in mails (default Tessera). */
  productName?: string | undefined;
  /** EMAIL_VERIFICATION: registration with an email address mails a verification link. */
  emailVerificationOnRegister?: boolean | undefined;
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
  /** Days audit events are kept (AUDIT_RETENTION_DAYS); 0 = forever. */
  auditRetentionDays: number;
  throttle: {
    loginAccountFreeAttempts: number;
    loginIpFreeAttempts: number;
    loginMaxDelaySeconds: number;
    mailPerAddress: number;
    mailPerIp: number;
    /** Self-service registrations per client IP per window; 0 = unlimited. */
    registerPerIp: number;
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

/**
 * What surfaces and the CLI may use: use cases and services, never the store, the clock or the
 * options. Each member is the entry point of one operation (or a service of a few).
 */
export interface Core {
  /** Any presented credential to the principal it speaks for (core/auth/authenticator.ts). */
  authenticate(credential: string): Promise<Principal>;
  login: PasswordLogin;
  register: Register;
  exchange: TokenExchange;
  changePassword: ChangePassword;
  introspection: Introspect;
  revocation: Revoke;
  sessions: Pick<SessionService, 'refresh' | 'revokeByToken' | 'listSessions' | 'revokeSession' | 'revokeAllOwn'>;
  /** The browser's session cookie behind the pages (read, end, the key that signs it). */
  browserSessions: Pick<BrowserSessionService, 'read' | 'end' | 'cookieKey'>;
  /** Sign-in and password change from the pages. */
  browserSignIn: BrowserSignIn;
  tokens: Pick<AccessTokenService, 'inspect'>;
  apiKeys: Pick<ApiKeyService, 'create' | 'list' | 'delete' | 'deleteById'>;
  users: Pick<UserService, 'profile' | 'addAddress' | 'ensureAdmin'>;
  recovery: Pick<RecoveryService, 'requestReset' | 'check' | 'confirm' | 'reset'>;
  emailVerification: Pick<EmailVerificationService, 'request' | 'check' | 'verify'>;
  /** The password policy's settings, for the forms that state the rules (reset page, account page). */
  passwordRules: Readonly<{ minLength: number; maxLength: number; history: number }>;
  userAdmin: UserAdminService;
  /** `tessera import`: users with pre-hashed legacy passwords, made by registration's factory. */
  userImport: Pick<UserImportService, 'check' | 'importUsers'>;
  accounts: AccountService;
  issuers: IssuerService;
  clients: Pick<ClientService, 'register' | 'list' | 'delete' | 'authenticate' | 'issueClientToken'>;
  keys: Pick<SigningKeyService, 'jwks' | 'publicKeyPem' | 'algorithms' | 'list'>;
  rotateSigningKey: RotateSigningKey;
  audit: Pick<AuditService, 'list'>;
  /** The OpenID Connect code flow: /oauth2/authorize and its consent page. */
  authorize: Authorize;
  /** The token endpoint's authorization_code grant. */
  authorizationCode: RedeemAuthorizationCode;
  /** The token endpoint's refresh_token grant: a registered client's family rotates only for it. */
  clientRefresh: ClientRefresh;
  userInfo: UserInfo;
  /** RP-initiated logout. */
  endSession: EndSession;
  /** A person's consents to third-party clients (the account page). */
  consents: Pick<ConsentService, 'list' | 'revoke'>;
  /** Facts the surfaces render (discovery, seed 003's lifetime), read-only. */
  settings: Readonly<{ issuer: string; publicUrl: string; passwordGrant: boolean; iotTokenTtlSeconds: number; signingAlgorithm: SigningAlgorithm }>;
  /** Resolves when the database answers (readiness). */
  ping(): Promise<void>;
  tasks: Pick<BackgroundTasks, 'drain' | 'stop'>;
  init(): Promise<void>;
}

/** The whole wiring, for the composition root and the core's own tests; surfaces get `Core`. */
export type CoreWiring = ReturnType<typeof createCore>;

export function createCore(ports: CorePorts, options: CoreOptions) {
  const { store, hasher, commonPasswords, mailer, clock, logger, auditObserver } = ports;
  const tasks = new BackgroundTasks(logger);
  const audit = new AuditService(store.audit, clock, logger, auditObserver);
  const policy = new PasswordPolicy({ minLength: options.passwordMinLength, maxLength: options.passwordMaxLength }, commonPasswords);
  const keys = new SigningKeyService(store.signingKeys, clock, {
    algorithm: options.signingAlgorithm,
    // a token stays acceptable until exp + the clock tolerance; its key must stay published that long
    maxTokenLifetimeMs:
      (Math.max(options.accessTtlSeconds, options.iotTokenTtlSeconds, options.restrictedTtlSeconds) + options.clockToleranceSeconds) * 1000,
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
  const limiter = new RequestLimiter(ports.throttleStore, audit, clock, t.windowSeconds * 1000);
  const mailThrottle = new MailThrottle(limiter, { perAddress: t.mailPerAddress, perIp: t.mailPerIp });
  const auditRetention = new AuditRetention(store.audit, clock, logger, { retentionDays: options.auditRetentionDays, intervalMs: 3_600_000 });
  const credentialOptions = { passwordMaxAgeDays: options.passwordMaxAgeDays, passwordHistory: options.passwordHistory };
  const credentials = new CredentialService(store, hasher, policy, audit, clock, credentialOptions, loginThrottle);
  const sessions = new SessionService(store, tokens, audit, clock, {
    refreshTtlSeconds: options.refreshTtlSeconds,
    refreshAbsoluteTtlSeconds: options.refreshAbsoluteTtlSeconds,
  });
  const replacement = new PasswordReplacement(credentials, sessions, audit, mailer, tasks, clock, options.publicUrl, options.productName);
  const codes = new OneTimeCodes(clock);
  const apiKeys = new ApiKeyService(store, audit, clock, options.apiKeyEncryptionKey ? new KeyCipher(options.apiKeyEncryptionKey) : undefined);
  const users = new UserService(store, credentials, audit, clock);
  const issuers = new IssuerService(store, audit, clock, options.clockToleranceSeconds);
  const mailOptions = { publicUrl: options.publicUrl, codeTtlSeconds: options.codeTtlSeconds, productName: options.productName };
  const emailVerification = new EmailVerificationService(store, codes, mailer, tasks, clock, mailOptions, mailThrottle);
  const authenticator = new Authenticator(store, tokens, apiKeys, clock);
  const idTokens = new IdTokenService(keys, clock, { issuer: options.issuer, ttlSeconds: options.accessTtlSeconds });
  const consents = new ConsentService(store, audit, clock);
  const browserSessions = new BrowserSessionService(store, audit, clock, {
    idleTtlSeconds: options.browserSessionIdleTtlSeconds,
    absoluteTtlSeconds: options.browserSessionTtlSeconds,
  });
  const login = new PasswordLogin(credentials, sessions, audit, users);
  const changePassword = new ChangePassword(store, credentials, replacement, sessions);
  const wiring = {
    options,
    store,
    clock,
    tasks,
    audit,
    policy,
    keys,
    rotateSigningKey: rotateSigningKey(keys, audit),
    tokens,
    credentials,
    sessions,
    apiKeys,
    authenticator,
    authenticate: (credential: string) => authenticator.verify(credential),
    exchange: new TokenExchange(store, apiKeys, issuers, sessions, audit),
    changePassword,
    browserSessions,
    browserSignIn: new BrowserSignIn(login, changePassword, browserSessions, authenticator),
    introspection: new Introspect(authenticator, sessions, options.issuer),
    revocation: new Revoke(authenticator, apiKeys, sessions),
    settings: {
      issuer: options.issuer,
      publicUrl: options.publicUrl,
      passwordGrant: options.passwordGrant,
      iotTokenTtlSeconds: options.iotTokenTtlSeconds,
      signingAlgorithm: options.signingAlgorithm,
    },
    consents,
    authorize: new Authorize(store, consents, clock, options.issuer),
    authorizationCode: new RedeemAuthorizationCode(store, sessions, idTokens, audit, clock),
    clientRefresh: new ClientRefresh(store, sessions, idTokens),
    userInfo: new UserInfo(store),
    endSession: new EndSession(store, idTokens),
    ping: () => store.ping(),
    issuers,
    clients: new ClientService(store, tokens, audit, clock),
    accounts: new AccountService(store, clock, audit),
    login,
    users,
    register: createRegister({
      throttle: new RegistrationThrottle(limiter, t.registerPerIp),
      users,
      sessions,
      verification: { enabled: options.emailVerificationOnRegister === true, service: emailVerification },
    }),
    auditRetention,
    userAdmin: new UserAdminService(store, users, credentials, audit, clock),
    userImport: new UserImportService(store, credentials, audit, clock),
    recovery: new RecoveryService(store, codes, credentials, replacement, mailer, tasks, audit, clock, mailOptions, mailThrottle),
    emailVerification,
    passwordRules: { minLength: options.passwordMinLength, maxLength: options.passwordMaxLength, history: options.passwordHistory },
    /**
     * Creates the signing key if none exists, warms what the first request would otherwise pay
     * for, and starts the periodic upkeep (stopped by `tasks.stop()`).
     */
    async init(): Promise<void> {
      await keys.init();
      await credentials.init();
      auditRetention.schedule(tasks);
    },
  };
  return wiring satisfies Core;
}

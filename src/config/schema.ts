/**
 * Every configuration variable, its default and its meaning, in one place. Each default lives
 * here and nowhere else; `docs/configuration.md` is this table in prose.
 */
import * as p from './parsers.js';

/**
 * A default computed from variables that have no derived default themselves, once they are parsed
 * (PUBLIC_URL from PORT and HOST); `shown` is how the documentation writes it.
 */
export interface DerivedDefault {
  shown: string;
  from(parsed: Readonly<Record<string, unknown>>): string;
}

interface Entry<T> {
  parse: p.Parser<T>;
  /** Raw default, or one derived from other variables; undefined = unset. */
  default: string | DerivedDefault | undefined;
  doc: string;
}

function entry<T, const D extends string | DerivedDefault | undefined>(parse: p.Parser<T>, defaultValue: D, doc: string): Entry<T> & { default: D } {
  return { parse, default: defaultValue, doc };
}

/** PUBLIC_URL unset: the URL a client on this machine reaches the listening server at. */
const listenUrl: DerivedDefault = {
  shown: 'http://localhost:<PORT>',
  from: (parsed) => p.localUrl(parsed.PORT as number, parsed.HOST as string),
};

export const configSchema = {
  PORT: entry(p.integer(0, 65535), '8080', 'TCP port to listen on'),
  HOST: entry(p.text, '0.0.0.0', 'address to listen on'),
  DATABASE_URL: entry(p.databaseUrl, 'sqlite:./data/tessera.db', 'sqlite:<file> (embedded) or postgres://... (?schema=name optional)'),
  DATABASE_POOL_SIZE: entry(p.integer(1, 100), '10', 'PostgreSQL connections per process'),
  REDIS_URL: entry(p.redisUrl, undefined, 'redis://host:port: throttle counters shared by every instance and worker (unset: kept in each process)'),
  REDIS_KEY_PREFIX: entry(p.text, 'tessera:', 'prefix of every Redis key Tessera writes, so one Redis can serve several installations'),
  SMTP_URL: entry(p.smtpUrl, undefined, 'smtp://host:port; unset: mail goes to the log and OUTBOX_DIR'),
  MAIL_FROM: entry(p.text, 'Tessera <no-reply@localhost>', 'From: header of outgoing mail'),
  OUTBOX_DIR: entry(p.text, './data/outbox', 'where mail is written as .eml files when SMTP_URL is unset'),
  PUBLIC_URL: entry(p.httpUrl, listenUrl, 'token issuer (iss) and base of discovery, JWKS, OpenAPI servers and links in emails; the default follows PORT, and HOST when it names one address (http://<HOST>:<PORT>; 0.0.0.0 and :: mean localhost)'),
  TOKEN_AUDIENCE: entry(p.text, 'tessera', 'the aud claim of access tokens'),
  TESSERA_BOOTSTRAP_ADMIN: entry(p.credentialsPair, undefined, 'username:password of an admin created at start if absent'),
  WORKERS: entry(p.integer(0, 64), '1', 'processes in node:cluster mode (0 = one per core)'),
  SHUTDOWN_GRACE_SECONDS: entry(p.integer(1, 3_600), '25', 'after SIGTERM, how long requests under way may take before their connections are cut'),
  REQUEST_TIMEOUT: entry(p.integer(1, 3_600), '30', 'seconds a client has to send a whole request (headers and body); a slower one is cut off with 408'),
  HEADERS_TIMEOUT: entry(p.integer(1, 3_600), '10', 'seconds a client has to send the request headers (at most REQUEST_TIMEOUT)'),
  KEEP_ALIVE_TIMEOUT: entry(p.integer(1, 3_600), '72', 'seconds an idle keep-alive connection stays open (longer than the load balancer\'s idle timeout)'),
  METRICS_ENABLED: entry(p.oneOf('true', 'false'), 'true', 'serve Prometheus metrics at GET /metrics (unauthenticated: restrict it at the proxy)'),
  LOG_LEVEL: entry(p.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), 'info', 'pino log level'),
  JWT_ALGORITHM: entry(p.oneOf('RS256', 'ES256', 'EdDSA'), 'RS256', 'algorithm of newly generated signing keys'),
  ACCESS_TOKEN_TTL: entry(p.integer(60, 86_400), '900', 'access token lifetime, seconds'),
  IOT_TOKEN_TTL: entry(p.integer(60, 604_800), '86400', 'lifetime of /v1/api/auth/token tokens, seconds'),
  RESTRICTED_TOKEN_TTL: entry(p.integer(60, 3_600), '600', 'lifetime of the password-change-only token of an expired password'),
  REFRESH_TOKEN_TTL: entry(p.integer(300, 31_536_000), '2592000', 'refresh token lifetime (sliding), seconds'),
  REFRESH_ABSOLUTE_TTL: entry(p.integer(300, 315_360_000), '7776000', 'absolute lifetime of a refresh family however often it is rotated, seconds (at least REFRESH_TOKEN_TTL)'),
  BROWSER_SESSION_IDLE_TTL: entry(p.integer(60, 2_592_000), '1800', 'a browser session (sign-in and account pages, OpenID Connect sign-in) unused this long ends, seconds'),
  BROWSER_SESSION_TTL: entry(p.integer(300, 31_536_000), '36000', 'absolute lifetime of a browser session from its password sign-in, however busy, seconds (at least BROWSER_SESSION_IDLE_TTL)'),
  RESET_CODE_TTL: entry(p.integer(60, 86_400), '1800', 'lifetime of reset codes, reset tokens and verification codes, seconds'),
  CLOCK_TOLERANCE: entry(p.integer(0, 60), '30', 'allowed clock skew when checking exp/nbf, seconds'),
  PASSWORD_MIN_LENGTH: entry(p.integer(8, 1024), '8', 'minimum password length in characters'),
  PASSWORD_MAX_AGE_DAYS: entry(p.integer(0, 3650), '0', 'days until a password expires (0 = never)'),
  PASSWORD_HISTORY: entry(p.integer(0, 24), '0', 'a new password may not repeat the current one or the last N replaced ones (0 = off)'),
  CORS_ORIGINS: entry(p.originList, undefined, 'comma-separated browser origins allowed to call the API cross-origin (exact match, e.g. https://app.example); unset: no CORS'),
  TRUST_PROXY: entry(p.trustProxy, 'false', 'whose X-Forwarded-For to believe: false, true, or comma-separated proxy addresses/CIDRs'),
  LOGIN_FREE_ATTEMPTS: entry(p.integer(1, 1000), '5', 'failed logins per username before exponential backoff starts'),
  LOGIN_IP_FREE_ATTEMPTS: entry(p.integer(1, 100_000), '50', 'failed logins per client IP before exponential backoff starts'),
  LOGIN_MAX_DELAY: entry(p.integer(1, 86_400), '900', 'longest backoff after failed logins, seconds'),
  MAIL_RATE_PER_ADDRESS: entry(p.integer(1, 1000), '3', 'reset/resend mails per address per THROTTLE_WINDOW'),
  MAIL_RATE_PER_IP: entry(p.integer(1, 100_000), '20', 'reset/resend requests per client IP per THROTTLE_WINDOW'),
  THROTTLE_WINDOW: entry(p.integer(1, 86_400), '900', 'seconds of quiet after which a throttle counter is forgotten'),
  REGISTER_RATE_PER_IP: entry(p.integer(0, 1_000_000), '20', 'self-service registrations (POST /v1/user) per client IP per THROTTLE_WINDOW (0 = unlimited, for bulk tests and imports)'),
  THROTTLE_MAX_KEYS: entry(p.integer(1000, 100_000_000), '100000', 'most throttle counters kept in memory; past it the least recently used is forgotten'),
  AUDIT_RETENTION_DAYS: entry(p.integer(0, 36_500), '90', 'days audit events are kept in the database, pruned at start and hourly (0 = forever)'),
  KEY_ENCRYPTION_KEY: entry(p.key256, undefined, 'encrypt signing keys at rest (AES-256-GCM); 32 bytes as hex or base64'),
  KEY_ROTATION_DAYS: entry(p.integer(0, 3650), '30', 'days until the signing key is replaced automatically (0 = never)'),
  OAUTH_PASSWORD_GRANT: entry(p.oneOf('true', 'false'), 'true', 'accept grant_type=password on /oauth2/token (legacy; RFC 9700 advises against it)'),
  API_KEY_ENCRYPTION_KEY: entry(p.key256, undefined, 'legacy option: keep API keys AES-256-GCM encrypted at rest so /authheader/list shows them in full'),
  PASSWORD_HASH_CONCURRENCY: entry(p.integer(0, 256), '0', 'password hashes computed at once (0 = one per core)'),
  HELPER_THREAD_NICE: entry(p.integer(0, 19), '4', 'Linux: nice value of the helper threads (password hashing, signing, GC), so the event loop is not preempted by them (0 = leave them alone; higher favours refreshes and reads over logins under full load)'),
  PASSWORD_HASH_QUEUE: entry(p.integer(0, 100_000), '64', 'password hashes that may wait for a free slot; past it a login answers 503 with Retry-After at once'),
  PRODUCT_NAME: entry(p.displayName, 'Tessera', 'product name on the pages (sign-in, reset, verification, account) and in mails'),
  BRAND_COLOR: entry(p.hexColor, '#1d4ed8', 'accent colour of the pages, #rrggbb (buttons carry white text on it: keep a contrast of at least 4.5:1)'),
  EMAIL_VERIFICATION: entry(p.oneOf('true', 'false'), 'false', 'registration with an email address mails a link that verifies it (false: no mail; the address stays unverified until verified through the API)'),
  ARGON2_MEMORY_KIB: entry(p.integer(1024, 4_194_304), '19456', 'argon2id memory cost in KiB'),
  ARGON2_TIME_COST: entry(p.integer(1, 100), '2', 'argon2id iterations'),
  ARGON2_PARALLELISM: entry(p.integer(1, 16), '1', 'argon2id lanes'),
} as const;

export type ConfigSchema = typeof configSchema;

type ParsedValue<E> = E extends Entry<infer T> ? T : never;

/** The validated configuration: variables with a default are always present. */
export type Config = Readonly<{
  [K in keyof ConfigSchema]: ConfigSchema[K]['default'] extends string | DerivedDefault
    ? ParsedValue<ConfigSchema[K]>
    : ParsedValue<ConfigSchema[K]> | undefined;
}>;

/**
 * The composition root: configuration -> storage -> infrastructure -> core -> HTTP. The only
 * module that knows every piece; main.ts and the tests build Tessera through it.
 */
import type { FastifyInstance } from 'fastify';
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { Clock, Mailer } from './core/ports.js';
import { AuthError } from './core/errors.js';
import { createCore, type CorePorts, type CoreWiring } from './core/tessera.js';
import type { ThrottleStore } from './core/throttle/throttle-store.js';
import { buildServer } from './http/server.js';
import { Drain } from './http/shared/drain.js';
import { Argon2Hasher } from './infra/argon2-hasher.js';
import { commonPasswordList } from './infra/common-passwords.js';
import { BoundedHasher } from './infra/hashing/bounded-hasher.js';
import { LegacyAwareHasher } from './infra/hashing/legacy-aware-hasher.js';
import { openThrottleStore } from './infra/throttle/open-throttle-store.js';
import { createLogger } from './infra/logger.js';
import { outboxMailer } from './infra/mail/outbox-mailer.js';
import { createMetrics, type Metrics } from './infra/metrics/metrics.js';
import { systemClock } from './infra/system-clock.js';
import { createKyselyStore } from './storage/kysely-store.js';
import { KyselyThrottleStore } from './storage/repos/throttle-counters.repo.js';
import { openDatabase, parseDatabaseUrl } from './storage/open-database.js';
import { hashConcurrency } from './thread-pool.js';
import { version } from './version.js';

export interface App {
  config: Config;
  /** The whole wiring (tests reach inside); surfaces and the CLI see it only as `Core`. */
  core: CoreWiring;
  server: FastifyInstance;
  logger: Logger;
  close(): Promise<void>;
  /**
   * SIGTERM's path: readiness turns 503 and answers carry `Connection: close` at once, the
   * listener closes, idle connections close, requests under way finish; connections still busy
   * after `graceMs` are cut (`forced`). Then the rest closes as in close().
   */
  shutdown(graceMs: number): Promise<{ forced: boolean }>;
  /** Started by shutdown(); tests start it alone to see what a draining instance answers. */
  drain: Drain;
}

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  mailer?: Mailer;
  /** Throttle counters (tests inspect their size); default: Redis when REDIS_URL is set, else memory. */
  throttleStore?: ThrottleStore;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const target = parseDatabaseUrl(config.DATABASE_URL);
  const { db, poolStats } = await openDatabase(target, {
    poolSize: config.DATABASE_POOL_SIZE,
    onConnectionError: (error) => logger.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, 'database connection lost; the pool reconnects on demand'),
  });
  const throttle = overrides.throttleStore
    ? { store: overrides.throttleStore, close: async () => undefined }
    : await openThrottleStore(
        {
          redisUrl: config.REDIS_URL,
          redisKeyPrefix: config.REDIS_KEY_PREFIX,
          maxKeys: config.THROTTLE_MAX_KEYS,
          // Without Redis, processes that share the database count there: PostgreSQL serves
          // several instances, and WORKERS > 1 share one SQLite file.
          database: target.kind === 'postgres' || config.WORKERS !== 1 ? new KyselyThrottleStore(db) : undefined,
        },
        logger,
      );
  const metrics = config.METRICS_ENABLED === 'true' ? createMetrics({ poolStats }) : undefined;
  const store = createKyselyStore(db);
  // nodemailer is loaded only when SMTP_URL is set.
  const transport = config.SMTP_URL
    ? (await import('./infra/mail/smtp-mailer.js')).smtpMailer(config.SMTP_URL, config.MAIL_FROM)
    : outboxMailer(config.OUTBOX_DIR, config.MAIL_FROM, logger);
  const core = createCore(
    withMetrics(metrics, {
      store,
      hasher: new BoundedHasher(
        new LegacyAwareHasher(new Argon2Hasher({ memoryKib: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM })),
        { concurrency: hashConcurrency(config), queue: config.PASSWORD_HASH_QUEUE },
      ),
      commonPasswords: commonPasswordList(),
      mailer: overrides.mailer ?? transport,
      throttleStore: throttle.store,
      clock: overrides.clock ?? systemClock,
      logger,
    }),
    {
      issuer: config.PUBLIC_URL,
      audience: config.TOKEN_AUDIENCE,
      publicUrl: config.PUBLIC_URL,
      signingAlgorithm: config.JWT_ALGORITHM,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL,
      iotTokenTtlSeconds: config.IOT_TOKEN_TTL,
      restrictedTtlSeconds: config.RESTRICTED_TOKEN_TTL,
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
      refreshAbsoluteTtlSeconds: config.REFRESH_ABSOLUTE_TTL,
      browserSessionIdleTtlSeconds: config.BROWSER_SESSION_IDLE_TTL,
      browserSessionTtlSeconds: config.BROWSER_SESSION_TTL,
      codeTtlSeconds: config.RESET_CODE_TTL,
      productName: config.PRODUCT_NAME,
      emailVerificationOnRegister: config.EMAIL_VERIFICATION === 'true',
      passwordMinLength: config.PASSWORD_MIN_LENGTH,
      passwordMaxLength: 1024,
      passwordMaxAgeDays: config.PASSWORD_MAX_AGE_DAYS,
      passwordHistory: config.PASSWORD_HISTORY,
      clockToleranceSeconds: config.CLOCK_TOLERANCE,
      apiKeyEncryptionKey: config.API_KEY_ENCRYPTION_KEY,
      keyRotationDays: config.KEY_ROTATION_DAYS,
      keyEncryptionKey: config.KEY_ENCRYPTION_KEY,
      passwordGrant: config.OAUTH_PASSWORD_GRANT === 'true',
      auditRetentionDays: config.AUDIT_RETENTION_DAYS,
      throttle: {
        loginAccountFreeAttempts: config.LOGIN_FREE_ATTEMPTS,
        loginIpFreeAttempts: config.LOGIN_IP_FREE_ATTEMPTS,
        loginMaxDelaySeconds: config.LOGIN_MAX_DELAY,
        mailPerAddress: config.MAIL_RATE_PER_ADDRESS,
        mailPerIp: config.MAIL_RATE_PER_IP,
        registerPerIp: config.REGISTER_RATE_PER_IP,
        windowSeconds: config.THROTTLE_WINDOW,
      },
    },
  );
  try {
    await core.init();
    if (config.TESSERA_BOOTSTRAP_ADMIN) {
      const { username, password } = config.TESSERA_BOOTSTRAP_ADMIN;
      const created = await core.users.ensureAdmin(username, password).catch((error: unknown) => {
        // A rejected username or password is a configuration error: say which variable.
        if (error instanceof AuthError) throw new Error(`TESSERA_BOOTSTRAP_ADMIN: ${error.message}`);
        throw error;
      });
      if (created) logger.info({ username }, 'bootstrap admin created');
    }
  } catch (error) {
    core.tasks.stop();
    await core.tasks.drain();
    await store.close();
    await throttle.close();
    throw error;
  }
  const drain = new Drain();
  const server = await buildServer(core, logger, {
    publicUrl: config.PUBLIC_URL,
    version,
    metrics,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    drain,
    timeouts: { requestMs: config.REQUEST_TIMEOUT * 1000, headersMs: config.HEADERS_TIMEOUT * 1000, keepAliveMs: config.KEEP_ALIVE_TIMEOUT * 1000 },
    pages: {
      publicUrl: config.PUBLIC_URL,
      productName: config.PRODUCT_NAME,
      accentColor: config.BRAND_COLOR,
      // Binds the CSRF tokens of page forms: derived from the cookie key the core keeps in the
      // database, so every instance and worker accepts the forms of every other.
      cookieSecret: createHmac('sha256', await core.browserSessions.cookieKey()).update('tessera page csrf').digest(),
    },
  });
  const close = async () => {
    await server.close();
    core.tasks.stop();
    await core.tasks.drain();
    transport.close();
    await store.close();
    await throttle.close();
  };
  return {
    config,
    core,
    server,
    logger,
    close,
    drain,
    async shutdown(graceMs) {
      drain.start();
      // Past the grace period, connections still busy are cut: the close below then completes.
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        server.server.closeAllConnections();
      }, graceMs);
      try {
        await close();
      } finally {
        clearTimeout(timer);
      }
      return { forced };
    },
  };
}

/** With metrics on, the hasher is timed and audit events are counted; the core sees only ports. */
function withMetrics(metrics: Metrics | undefined, ports: CorePorts): CorePorts {
  return metrics ? { ...ports, hasher: metrics.timeHasher(ports.hasher), auditObserver: metrics.auditObserver } : ports;
}

import type { MailMessage, Logger, Store } from '../../src/core/ports.js';
import { createCore, type CoreWiring as Core, type CoreOptions } from '../../src/core/tessera.js';
import type { User } from '../../src/core/users/user.types.js';
import type { UserPrincipal } from '../../src/core/auth/principal.js';
import type { RequestContext } from '../../src/core/context/request-context.js';
import { Argon2Hasher, type Argon2Options } from '../../src/infra/argon2-hasher.js';
import { commonPasswordList } from '../../src/infra/common-passwords.js';
import { MemoryThrottleStore } from '../../src/infra/throttle/memory-throttle-store.js';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { openDatabase, parseDatabaseUrl } from '../../src/storage/open-database.js';
import { tempDir } from './temp-dir.js';
import { TestClock } from './test-clock.js';

/** Cheap argon2id parameters: the core's rules do not depend on the cost, only tests' speed does. */
export const FAST_ARGON2: Argon2Options = { memoryKib: 4096, timeCost: 1, parallelism: 1 };

export const TEST_ISSUER = 'http://tessera.test';

/** The production defaults of the config schema, with a test issuer. */
export const TEST_CORE_OPTIONS: CoreOptions = {
  issuer: TEST_ISSUER,
  audience: 'tessera',
  publicUrl: TEST_ISSUER,
  signingAlgorithm: 'RS256',
  accessTtlSeconds: 900,
  iotTokenTtlSeconds: 86_400,
  restrictedTtlSeconds: 600,
  refreshTtlSeconds: 2_592_000,
  refreshAbsoluteTtlSeconds: 7_776_000,
  browserSessionIdleTtlSeconds: 1_800,
  browserSessionTtlSeconds: 36_000,
  codeTtlSeconds: 1_800,
  passwordMinLength: 8,
  passwordMaxLength: 1024,
  passwordMaxAgeDays: 0,
  passwordHistory: 0,
  clockToleranceSeconds: 30,
  keyRotationDays: 30,
  passwordGrant: true,
  auditRetentionDays: 90,
  throttle: {
    loginAccountFreeAttempts: 5,
    loginIpFreeAttempts: 50,
    loginMaxDelaySeconds: 900,
    mailPerAddress: 3,
    mailPerIp: 20,
    registerPerIp: 20,
    windowSeconds: 900,
  },
};

export const GOOD_PASSWORD = 'correct horse battery staple';

export interface TestCore {
  core: Core;
  store: Store;
  clock: TestClock;
  throttleStore: MemoryThrottleStore;
  /** Mail the core sent, oldest first (call `core.tasks.drain()` before reading). */
  mails: MailMessage[];
  /** Errors the core logged (background task failures, audit write failures). */
  loggedErrors: unknown[];
  /** Registers a user with GOOD_PASSWORD unless another is given. */
  register(username: string, extra?: { password?: string; email?: string }): Promise<User>;
  close(): Promise<void>;
}

export interface TestCoreSetup {
  options?: Partial<CoreOptions>;
  argon2?: Argon2Options;
  /** Build on another test core's store and clock (a second instance, or other settings). */
  sharing?: TestCore;
}

/**
 * The real core on a real SQLite file in a temp folder, a hand-moved clock, real argon2id and the
 * real common-password list; mail goes to an array and the log nowhere.
 */
export async function createTestCore(setup: TestCoreSetup = {}): Promise<TestCore> {
  let store: Store;
  let clock: TestClock;
  let release: () => Promise<void>;
  if (setup.sharing) {
    ({ store, clock } = setup.sharing);
    release = async () => {};
  } else {
    const dir = tempDir('tessera-core-');
    const { db } = await openDatabase(parseDatabaseUrl(`sqlite:${dir.path}/tessera.db`));
    store = createKyselyStore(db);
    clock = new TestClock();
    release = async () => {
      await store.close();
      dir.remove();
    };
  }
  const mails: MailMessage[] = [];
  const loggedErrors: unknown[] = [];
  const logger: Logger = { info: () => {}, warn: () => {}, error: (fields) => void loggedErrors.push(fields) };
  const throttleStore = new MemoryThrottleStore({ maxKeys: 100_000 });
  const core = createCore(
    {
      store,
      hasher: new Argon2Hasher(setup.argon2 ?? FAST_ARGON2),
      commonPasswords: commonPasswordList(),
      mailer: { send: async (message) => void mails.push(message) },
      throttleStore,
      clock,
      logger,
    },
    { ...TEST_CORE_OPTIONS, ...setup.options },
  );
  await core.init();
  return {
    core,
    store,
    clock,
    throttleStore,
    mails,
    loggedErrors,
    register: (username, extra = {}) =>
      core.users.register({ username, password: extra.password ?? GOOD_PASSWORD, email: extra.email }, { surface: 'test' }),
    async close() {
      core.tasks.stop();
      await core.tasks.drain();
      await release();
    },
  };
}

/** The code in a recovery or verification mail: the line after "Your ... code (valid ...):". */
export function codeFromMessage(message: MailMessage | undefined): string {
  const match = /code \(valid [^)]*\):\s*\n\s*(\S+)\s*\n/.exec(message?.text ?? '');
  if (!match?.[1]) throw new Error(`no code in mail: ${message?.text}`);
  return match[1];
}

/** The first-party origin the core tests log in with. */
export const NATIVE_ORIGIN = { clientId: 'tessera-native' } as const;

/** An access token of `user` in a fresh session without refresh token. */
export async function accessTokenFor(t: { core: Core }, user: User, ttlSeconds?: number) {
  return (await t.core.sessions.startAccessOnly(user, {}, NATIVE_ORIGIN, ttlSeconds)).access;
}

/**
 * A password change through the core's use case: with the old password as by username, without
 * it as the holder of the restricted token of an expired password.
 */
export async function changePassword(t: { core: Core }, user: User, password: string, oldPassword: string | undefined, context: RequestContext = {}) {
  if (oldPassword !== undefined) return (await t.core.changePassword.byUsername(user.username, oldPassword, password, context, NATIVE_ORIGIN.clientId)).userId;
  const principal: UserPrincipal = {
    subject: 'user',
    user,
    userId: user.id,
    credential: 'restricted',
    viaApiKey: false,
    roles: [],
    accounts: [],
    sessionId: null,
    apiKeyId: null,
    clientId: NATIVE_ORIGIN.clientId,
    tokenId: 'test',
    expiresAt: Number.POSITIVE_INFINITY,
  };
  return (await t.core.changePassword.byToken(principal, undefined, password, context)).userId;
}

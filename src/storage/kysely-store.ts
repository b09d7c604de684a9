import { sql, type Kysely } from 'kysely';
import type { Repositories, Store } from '../core/ports.js';
import type { Database } from './schema.js';
import { KyselyAccountRepo } from './repos/accounts.repo.js';
import { KyselyApiKeyRepo } from './repos/api-keys.repo.js';
import { KyselyAuditRepo } from './repos/audit.repo.js';
import { KyselyBrowserSessionRepo } from './repos/browser-sessions.repo.js';
import { KyselyClientRepo } from './repos/clients.repo.js';
import { KyselyIssuerRepo } from './repos/issuers.repo.js';
import { KyselyAuthorizationCodeRepo, KyselyConsentRepo, KyselyOidcGrantRepo } from './repos/oidc.repo.js';
import { KyselyPasswordHistoryRepo } from './repos/password-history.repo.js';
import { KyselyRecoveryRepo } from './repos/recovery.repo.js';
import { KyselySessionRepo } from './repos/sessions.repo.js';
import { KyselySigningKeyRepo } from './repos/signing-keys.repo.js';
import { KyselyUserRepo } from './repos/users.repo.js';
import { CompiledTemplates } from './repos/compiled-once.js';

function repositories(db: Kysely<Database>, compiled: CompiledTemplates): Repositories {
  return {
    users: new KyselyUserRepo(db, compiled),
    sessions: new KyselySessionRepo(db, compiled),
    signingKeys: new KyselySigningKeyRepo(db),
    recovery: new KyselyRecoveryRepo(db),
    accounts: new KyselyAccountRepo(db, compiled),
    apiKeys: new KyselyApiKeyRepo(db, compiled),
    clients: new KyselyClientRepo(db),
    issuers: new KyselyIssuerRepo(db),
    audit: new KyselyAuditRepo(db, compiled),
    passwordHistory: new KyselyPasswordHistoryRepo(db),
    browserSessions: new KyselyBrowserSessionRepo(db),
    authorizationCodes: new KyselyAuthorizationCodeRepo(db),
    consents: new KyselyConsentRepo(db),
    oidcGrants: new KyselyOidcGrantRepo(db),
  };
}

/** The core's Store on any Kysely dialect: one implementation for SQLite and PostgreSQL. */
export function createKyselyStore(db: Kysely<Database>): Store {
  // The hot queries' SQL, compiled once for this database and used inside its transactions too.
  const compiled = new CompiledTemplates();
  return {
    ...repositories(db, compiled),
    transaction: (work) => db.transaction().execute((trx) => work(repositories(trx, compiled))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

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

function repositories(db: Kysely<Database>): Repositories {
  return {
    users: new KyselyUserRepo(db),
    sessions: new KyselySessionRepo(db),
    signingKeys: new KyselySigningKeyRepo(db),
    recovery: new KyselyRecoveryRepo(db),
    accounts: new KyselyAccountRepo(db),
    apiKeys: new KyselyApiKeyRepo(db),
    clients: new KyselyClientRepo(db),
    issuers: new KyselyIssuerRepo(db),
    audit: new KyselyAuditRepo(db),
    passwordHistory: new KyselyPasswordHistoryRepo(db),
    browserSessions: new KyselyBrowserSessionRepo(db),
    authorizationCodes: new KyselyAuthorizationCodeRepo(db),
    consents: new KyselyConsentRepo(db),
    oidcGrants: new KyselyOidcGrantRepo(db),
  };
}

/** The core's Store on any Kysely dialect: one implementation for SQLite and PostgreSQL. */
export function createKyselyStore(db: Kysely<Database>): Store {
  return {
    ...repositories(db),
    transaction: (work) => db.transaction().execute((trx) => work(repositories(trx))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

import type { Kysely, Selectable } from 'kysely';
import type { AuthorizationCodeRepo, ConsentRepo, OidcGrantRepo } from '../../core/oidc/oidc.repo.js';
import type { AuthorizationCodeRecord, ConsentRecord, OidcGrantRecord } from '../../core/oidc/oidc.types.js';
import type { AuthorizationCodesTable, ConsentsTable, OidcGrantsTable } from '../oidc-schema.js';
import type { Database } from '../schema.js';
import { jsonArray, num, numOrNull } from './row-mapping.js';

export class KyselyAuthorizationCodeRepo implements AuthorizationCodeRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: AuthorizationCodeRecord): Promise<void> {
    await this.db
      .insertInto('authorization_codes')
      .values({
        code_hash: c.codeHash,
        client_id: c.clientId,
        user_id: c.userId,
        redirect_uri: c.redirectUri,
        scopes: JSON.stringify(c.scopes),
        nonce: c.nonce,
        code_challenge: c.codeChallenge,
        auth_time: c.authTime,
        amr: JSON.stringify(c.amr),
        browser_session_id: c.browserSessionId,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        used_at: c.usedAt,
        issued_session_id: c.issuedSessionId,
        reused_at: c.reusedAt,
      })
      .execute();
  }

  async find(codeHash: string): Promise<AuthorizationCodeRecord | undefined> {
    const row = await this.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return row && toCode(row);
  }

  async redeem(codeHash: string, now: number, sessionId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('authorization_codes')
      .set({ used_at: now, issued_session_id: sessionId })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async markReused(codeHash: string, now: number): Promise<string | null> {
    await this.db.updateTable('authorization_codes').set({ reused_at: now }).where('code_hash', '=', codeHash).execute();
    const row = await this.db.selectFrom('authorization_codes').select('issued_session_id').where('code_hash', '=', codeHash).executeTakeFirst();
    return row?.issued_session_id ?? null;
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('authorization_codes').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export class KyselyConsentRepo implements ConsentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userId: string, clientId: string): Promise<ConsentRecord | undefined> {
    const row = await this.db.selectFrom('consents').selectAll().where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
    return row && toConsent(row);
  }

  async save(c: ConsentRecord): Promise<void> {
    await this.db
      .insertInto('consents')
      .values({ user_id: c.userId, client_id: c.clientId, scopes: JSON.stringify(c.scopes), created_at: c.createdAt, updated_at: c.updatedAt })
      .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scopes: JSON.stringify(c.scopes), updated_at: c.updatedAt }))
      .execute();
  }

  async listByUser(userId: string): Promise<ConsentRecord[]> {
    const rows = await this.db.selectFrom('consents').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('client_id').execute();
    return rows.map(toConsent);
  }

  async delete(userId: string, clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('consents').where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

export class KyselyOidcGrantRepo implements OidcGrantRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(g: OidcGrantRecord): Promise<void> {
    await this.db
      .insertInto('oidc_grants')
      .values({
        session_id: g.sessionId,
        client_id: g.clientId,
        user_id: g.userId,
        scopes: JSON.stringify(g.scopes),
        auth_time: g.authTime,
        amr: JSON.stringify(g.amr),
        browser_session_id: g.browserSessionId,
        created_at: g.createdAt,
      })
      .execute();
  }

  async find(sessionId: string): Promise<OidcGrantRecord | undefined> {
    const row = await this.db.selectFrom('oidc_grants').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    return row && toGrant(row);
  }
}

function toCode(r: Selectable<AuthorizationCodesTable>): AuthorizationCodeRecord {
  return {
    codeHash: r.code_hash,
    clientId: r.client_id,
    userId: r.user_id,
    redirectUri: r.redirect_uri,
    scopes: jsonArray(r.scopes),
    nonce: r.nonce,
    codeChallenge: r.code_challenge,
    authTime: num(r.auth_time),
    amr: jsonArray(r.amr),
    browserSessionId: r.browser_session_id,
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    usedAt: numOrNull(r.used_at),
    issuedSessionId: r.issued_session_id,
    reusedAt: numOrNull(r.reused_at),
  };
}

function toConsent(r: Selectable<ConsentsTable>): ConsentRecord {
  return { userId: r.user_id, clientId: r.client_id, scopes: jsonArray(r.scopes), createdAt: num(r.created_at), updatedAt: num(r.updated_at) };
}

function toGrant(r: Selectable<OidcGrantsTable>): OidcGrantRecord {
  return {
    sessionId: r.session_id,
    clientId: r.client_id,
    userId: r.user_id,
    scopes: jsonArray(r.scopes),
    authTime: num(r.auth_time),
    amr: jsonArray(r.amr),
    browserSessionId: r.browser_session_id,
    createdAt: num(r.created_at),
  };
}

import type { JSONWebKeySet } from 'jose';
import type { Kysely, Selectable } from 'kysely';
import { AuthError } from '../../core/errors.js';
import type { IssuerPatch, IssuerRepo } from '../../core/issuers/issuer.repo.js';
import type { ExternalIdentity, TrustedIssuer } from '../../core/issuers/issuer.types.js';
import type { Database, TrustedIssuersTable } from '../schema.js';
import { bool, flag, jsonArray, num } from './row-mapping.js';
import { uniqueViolation } from './unique-violation.js';

export class KyselyIssuerRepo implements IssuerRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(i: TrustedIssuer): Promise<void> {
    try {
      await this.db
        .insertInto('trusted_issuers')
        .values({
          id: i.id,
          issuer: i.issuer,
          audience: i.audience,
          jwks: i.jwks ? JSON.stringify(i.jwks) : null,
          public_key_pem: i.publicKeyPem,
          algorithms: JSON.stringify(i.algorithms),
          created_at: i.createdAt,
          require_jti: flag(i.requireJti),
        })
        .execute();
    } catch (error) {
      if (uniqueViolation(error)) throw new AuthError('invalid_input', 'this issuer is already registered', { field: 'issuer' });
      throw error;
    }
  }

  async findByIssuer(issuer: string): Promise<TrustedIssuer | undefined> {
    const row = await this.db.selectFrom('trusted_issuers').selectAll().where('issuer', '=', issuer).executeTakeFirst();
    return row && toIssuer(row);
  }

  async update(id: string, patch: IssuerPatch): Promise<TrustedIssuer | undefined> {
    const changes = {
      ...(patch.audience !== undefined ? { audience: patch.audience } : {}),
      ...(patch.requireJti !== undefined ? { require_jti: flag(patch.requireJti) } : {}),
    };
    if (Object.keys(changes).length > 0) await this.db.updateTable('trusted_issuers').set(changes).where('id', '=', id).execute();
    const row = await this.db.selectFrom('trusted_issuers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toIssuer(row);
  }

  async list(): Promise<TrustedIssuer[]> {
    const rows = await this.db.selectFrom('trusted_issuers').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toIssuer);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('trusted_issuers').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async findIdentity(issuerId: string, subject: string): Promise<ExternalIdentity | undefined> {
    const r = await this.db
      .selectFrom('external_identities')
      .selectAll()
      .where('issuer_id', '=', issuerId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return r && { issuerId: r.issuer_id, subject: r.subject, userId: r.user_id, createdAt: num(r.created_at) };
  }

  async insertIdentity(identity: ExternalIdentity): Promise<boolean> {
    const result = await this.db
      .insertInto('external_identities')
      .values({ issuer_id: identity.issuerId, subject: identity.subject, user_id: identity.userId, created_at: identity.createdAt })
      .onConflict((oc) => oc.columns(['issuer_id', 'subject']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async rememberJti(issuerId: string, jti: string, expiresAt: number, now: number): Promise<boolean> {
    await this.db.deleteFrom('seen_token_ids').where('expires_at', '<', now).execute();
    const result = await this.db
      .insertInto('seen_token_ids')
      .values({ issuer_id: issuerId, jti, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['issuer_id', 'jti']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}

function toIssuer(r: Selectable<TrustedIssuersTable>): TrustedIssuer {
  return {
    id: r.id,
    issuer: r.issuer,
    audience: r.audience,
    jwks: r.jwks ? (JSON.parse(r.jwks) as JSONWebKeySet) : null,
    publicKeyPem: r.public_key_pem,
    algorithms: jsonArray(r.algorithms),
    requireJti: bool(r.require_jti),
    createdAt: num(r.created_at),
  };
}

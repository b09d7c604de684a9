import type { Kysely, Selectable } from 'kysely';
import type { ClientRepo } from '../../core/clients/client.repo.js';
import type { ClientGrantType, OAuthClient, TokenEndpointAuthMethod } from '../../core/clients/client.types.js';
import type { Database, OAuthClientsTable } from '../schema.js';
import { bool, flag, jsonArray, num } from './row-mapping.js';

export class KyselyClientRepo implements ClientRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: OAuthClient): Promise<void> {
    await this.db
      .insertInto('oauth_clients')
      .values({
        id: c.id,
        name: c.name,
        // a public client has no secret; the column predates public clients and stays NOT NULL
        secret_hash: c.secretHash ?? '',
        grant_types: JSON.stringify(c.grantTypes),
        roles: JSON.stringify(c.roles),
        created_at: c.createdAt,
        redirect_uris: JSON.stringify(c.redirectUris),
        post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
        token_endpoint_auth_method: c.tokenEndpointAuthMethod,
        scopes: JSON.stringify(c.scopes),
        consent_required: flag(c.consentRequired),
      })
      .execute();
  }

  async findById(id: string): Promise<OAuthClient | undefined> {
    const row = await this.db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toClient(row);
  }

  async list(): Promise<OAuthClient[]> {
    const rows = await this.db.selectFrom('oauth_clients').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toClient);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('oauth_clients').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toClient(r: Selectable<OAuthClientsTable>): OAuthClient {
  return {
    id: r.id,
    name: r.name,
    secretHash: r.secret_hash === '' ? null : r.secret_hash,
    grantTypes: jsonArray(r.grant_types) as ClientGrantType[],
    roles: jsonArray(r.roles),
    redirectUris: jsonArray(r.redirect_uris),
    postLogoutRedirectUris: jsonArray(r.post_logout_redirect_uris),
    tokenEndpointAuthMethod: r.token_endpoint_auth_method as TokenEndpointAuthMethod,
    scopes: jsonArray(r.scopes),
    consentRequired: bool(r.consent_required),
    createdAt: num(r.created_at),
  };
}

import type { Kysely, Selectable } from 'kysely';
import type { ClientRepo } from '../../core/clients/client.repo.js';
import type { ClientGrantType, OAuthClient } from '../../core/clients/client.types.js';
import type { Database, OAuthClientsTable } from '../schema.js';
import { jsonArray, num } from './row-mapping.js';

export class KyselyClientRepo implements ClientRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: OAuthClient): Promise<void> {
    await this.db
      .insertInto('oauth_clients')
      .values({
        id: c.id,
        name: c.name,
        secret_hash: c.secretHash,
        grant_types: JSON.stringify(c.grantTypes),
        roles: JSON.stringify(c.roles),
        created_at: c.createdAt,
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
    secretHash: r.secret_hash,
    grantTypes: jsonArray(r.grant_types) as ClientGrantType[],
    roles: jsonArray(r.roles),
    createdAt: num(r.created_at),
  };
}

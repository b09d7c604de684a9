import type { Kysely } from 'kysely';
import type { BrowserSessionRepo } from '../../core/browser-sessions/browser-session.repo.js';
import type { BrowserSessionRecord } from '../../core/browser-sessions/browser-session.types.js';
import type { Database } from '../schema.js';
import { jsonArray, num } from './row-mapping.js';

export class KyselyBrowserSessionRepo implements BrowserSessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(r: BrowserSessionRecord): Promise<void> {
    await this.db
      .insertInto('browser_sessions')
      .values({ session_id: r.sessionId, secret_hash: r.secretHash, auth_time: r.authTime, amr: JSON.stringify(r.amr) })
      .execute();
  }

  async find(sessionId: string): Promise<BrowserSessionRecord | undefined> {
    const row = await this.db.selectFrom('browser_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    return row && { sessionId: row.session_id, secretHash: row.secret_hash, authTime: num(row.auth_time), amr: jsonArray(row.amr) };
  }

  async ensureServerSecret(name: string, candidate: string, now: number): Promise<string> {
    await this.db
      .insertInto('server_secrets')
      .values({ name, value: candidate, created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }
}

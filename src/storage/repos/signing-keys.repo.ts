import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { SigningKeyRepo } from '../../core/signing-keys/signing-key.repo.js';
import type { SigningAlgorithm, SigningKeyRecord } from '../../core/signing-keys/signing-key.types.js';
import type { Database } from '../schema.js';
import { num, numOrNull } from './row-mapping.js';

export class KyselySigningKeyRepo implements SigningKeyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insertSuccessor(key: SigningKeyRecord, succeeds: string): Promise<boolean> {
    const result = await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: JSON.stringify(key.publicJwk),
        private_pem: key.privatePem,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
        succeeds,
      })
      .onConflict((oc) => oc.column('succeeds').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async listVerifiable(since: number): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', since)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg as SigningAlgorithm,
      publicJwk: JSON.parse(r.public_jwk) as JWK,
      privatePem: r.private_pem,
      createdAt: num(r.created_at),
      retiredAt: numOrNull(r.retired_at),
    }));
  }

  async retireAllExcept(kid: string, now: number): Promise<void> {
    await this.db.updateTable('signing_keys').set({ retired_at: now }).where('kid', '!=', kid).where('retired_at', 'is', null).execute();
  }
}

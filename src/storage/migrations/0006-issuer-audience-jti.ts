import type { Kysely } from 'kysely';

/**
 * Trusted issuers get `require_jti` (a token without `jti` is refused; default off, since many
 * identity providers' ID tokens carry none). The audience became required at registration; an
 * issuer registered before without one keeps `audience` null and refuses every token until an
 * admin sets it (PATCH /v1/admin/issuers/{id}): guessing it here could trust tokens meant for
 * another relying party.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('trusted_issuers')
    .addColumn('require_jti', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

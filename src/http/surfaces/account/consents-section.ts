import type { Core } from '../../../core/tessera.js';

/** One remembered consent, as the account page lists it. */
export interface ConsentRow {
  clientId: string;
  clientName: string;
  scopes: string[];
}

/**
 * The account page's "Apps you allowed" section (views/account/consents.eta): the OpenID Connect
 * consents the person gave third-party clients, each with a form that withdraws it
 * (POST /account/consents/revoke in account.routes.ts): the next sign-in to that app asks again.
 */
export async function loadConsents(core: Core, userId: string): Promise<ConsentRow[]> {
  return (await core.consents.list(userId)).map(({ clientId, clientName, scopes }) => ({ clientId, clientName, scopes }));
}

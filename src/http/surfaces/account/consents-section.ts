import type { Core } from '../../../core/tessera.js';

/** One remembered consent, as the account page lists it. */
export interface ConsentRow {
  clientId: string;
  clientName: string;
  scopes: string[];
}

/**
 * The account page's "Apps you allowed" section (views/account/consents.eta), for the OpenID
 * Connect consents: empty until that work fills it with the core's consent list, and adds the
 * revoke form's POST route in account.routes.ts beside the others.
 */
export async function loadConsents(_core: Core, _userId: string): Promise<ConsentRow[]> {
  return [];
}

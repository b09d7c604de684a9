import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../context/request-context.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';

/** A consent as the account page shows it. */
export interface ConsentView {
  clientId: string;
  clientName: string;
  scopes: string[];
  grantedAt: number;
}

/**
 * Consents: what a person allowed a third-party client, remembered per user and client. A
 * consent covers a request when it holds every scope asked for; allowing more scopes later
 * widens it. Revoking one makes the next authorization of that client ask again.
 */
export class ConsentService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async covers(userId: string, clientId: string, scopes: readonly string[]): Promise<boolean> {
    const consent = await this.store.consents.find(userId, clientId);
    return consent !== undefined && scopes.every((s) => consent.scopes.includes(s));
  }

  async grant(userId: string, clientId: string, scopes: readonly string[], context: RequestContext): Promise<void> {
    const now = this.clock.now();
    const existing = await this.store.consents.find(userId, clientId);
    const merged = [...new Set([...(existing?.scopes ?? []), ...scopes])];
    await this.store.consents.save({ userId, clientId, scopes: merged, createdAt: existing?.createdAt ?? now, updatedAt: now });
    await this.audit.record('consent.granted', { userId, context, detail: { clientId, scopes: merged } });
  }

  /** The user's consents with the names of their clients, oldest first. */
  async list(userId: string): Promise<ConsentView[]> {
    const consents = await this.store.consents.listByUser(userId);
    const views = await Promise.all(
      consents.map(async (c) => {
        const client = await this.store.clients.findById(c.clientId);
        return client ? { clientId: c.clientId, clientName: client.name, scopes: c.scopes, grantedAt: c.updatedAt } : undefined;
      }),
    );
    return views.filter((v): v is ConsentView => v !== undefined);
  }

  /** Forgets one of the user's own consents; none is `not_found`. */
  async revoke(userId: string, clientId: string, context: RequestContext): Promise<void> {
    if (!(await this.store.consents.delete(userId, clientId))) throw new AuthError('not_found', 'no such consent');
    await this.audit.record('consent.revoked', { userId, context, detail: { clientId } });
  }
}

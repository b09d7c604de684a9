import type { AuditEvent } from './audit.types.js';

export interface AuditRepo {
  insert(event: AuditEvent): Promise<void>;
  list(filter: { userId?: string; limit: number }): Promise<AuditEvent[]>;
  /** Deletes the events recorded before `cutoff` (epoch ms); answers how many went. */
  deleteOlderThan(cutoff: number): Promise<number>;
}

import type { AuditEvent } from './audit.types.js';

export interface AuditRepo {
  insert(event: AuditEvent): Promise<void>;
  list(filter: { userId?: string; limit: number }): Promise<AuditEvent[]>;
}

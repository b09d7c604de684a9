import type { AuditObserver, Clock, Logger } from '../ports.js';
import { newId } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import type { AuditRepo } from './audit.repo.js';
import type { AuditEvent, AuditEventType } from './audit.types.js';

/**
 * The audit trail: each security-relevant event is stored and logged, then handed to the optional
 * observer. Recording never fails the operation that caused it; a storage or observer error is
 * logged instead.
 */
export class AuditService {
  constructor(
    private readonly repo: AuditRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly observer?: AuditObserver,
  ) {}

  async record(
    type: AuditEventType,
    fields: { userId?: string | null; outcome?: 'success' | 'failure'; context?: RequestContext; detail?: Record<string, unknown> },
  ): Promise<void> {
    const event: AuditEvent = {
      id: newId(),
      at: this.clock.now(),
      type,
      userId: fields.userId ?? null,
      outcome: fields.outcome ?? 'success',
      ip: fields.context?.ip ?? null,
      requestId: fields.context?.requestId ?? null,
      detail: {
        ...(fields.context?.surface ? { surface: fields.context.surface } : {}),
        ...(fields.context?.actorId ? { actorId: fields.context.actorId } : {}),
        ...fields.detail,
      },
    };
    this.logger.info({ audit: { ...event, at: new Date(event.at).toISOString() } }, `audit ${type}`);
    try {
      await this.repo.insert(event);
    } catch (error) {
      this.logger.error({ err: error, auditType: type }, 'audit event could not be stored');
    }
    try {
      this.observer?.onEvent(event);
    } catch (error) {
      this.logger.error({ err: error, auditType: type }, 'audit observer failed');
    }
  }

  list(filter: { userId?: string; limit: number }): Promise<AuditEvent[]> {
    return this.repo.list(filter);
  }
}

import type { AuditObserver, Clock, Logger, Repositories } from '../ports.js';
import { newId } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import type { AuditRepo } from './audit.repo.js';
import type { AuditEvent, AuditEventType } from './audit.types.js';

export type AuditFields = { userId?: string | null; outcome?: 'success' | 'failure'; context?: RequestContext; detail?: Record<string, unknown> };

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

  async record(type: AuditEventType, fields: AuditFields): Promise<void> {
    const event = this.event(type, fields);
    try {
      await this.repo.insert(event);
    } catch (error) {
      this.logger.error({ err: error, auditType: type }, 'audit event could not be stored');
    }
    this.publish(event);
  }

  /**
   * Stores the event inside the caller's transaction `tx`, so it commits with the change it
   * records, in the same commit, or not at all (a failed insert fails the transaction). Answers
   * the step to take once the transaction has committed: log the event and tell the observer.
   */
  async recordIn(tx: Pick<Repositories, 'audit'>, type: AuditEventType, fields: AuditFields): Promise<() => void> {
    const event = this.event(type, fields);
    await tx.audit.insert(event);
    return () => this.publish(event);
  }

  private event(type: AuditEventType, fields: AuditFields): AuditEvent {
    return {
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
  }

  private publish(event: AuditEvent): void {
    this.logger.info({ audit: { ...event, at: new Date(event.at).toISOString() } }, `audit ${event.type}`);
    try {
      this.observer?.onEvent(event);
    } catch (error) {
      this.logger.error({ err: error, auditType: event.type }, 'audit observer failed');
    }
  }

  list(filter: { userId?: string; limit: number }): Promise<AuditEvent[]> {
    return this.repo.list(filter);
  }
}

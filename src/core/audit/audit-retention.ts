import type { BackgroundTasks } from '../background-tasks.js';
import type { Clock, Logger } from '../ports.js';
import type { AuditRepo } from './audit.repo.js';

const DAY_MS = 86_400_000;

export interface AuditRetentionOptions {
  /** Events older than this many days are deleted (AUDIT_RETENTION_DAYS); 0 keeps them forever. */
  retentionDays: number;
  /** How often the pruning runs after the first run at start. */
  intervalMs: number;
}

/**
 * Keeps the audit table from growing without end: events older than the retention are deleted at
 * start and then periodically. Only rows the repo holds are affected; the log lines each event
 * also wrote stay wherever the operator ships logs.
 */
export class AuditRetention {
  constructor(
    private readonly repo: AuditRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: AuditRetentionOptions,
  ) {}

  /** Deletes the events older than the retention now; answers how many (0 when kept forever). */
  async prune(): Promise<number> {
    if (this.options.retentionDays === 0) return 0;
    const cutoff = this.clock.now() - this.options.retentionDays * DAY_MS;
    const deleted = await this.repo.deleteOlderThan(cutoff);
    if (deleted > 0) this.logger.info({ deleted, cutoff: new Date(cutoff).toISOString() }, 'audit events pruned');
    return deleted;
  }

  /**
   * Prunes once now and then every `intervalMs`, as background tasks (a failure is logged, the
   * timer does not keep the process alive, `tasks.stop()` ends it). Nothing runs when kept forever.
   */
  schedule(tasks: BackgroundTasks): void {
    if (this.options.retentionDays === 0) return;
    const prune = async () => void (await this.prune());
    tasks.run('audit-prune', prune);
    tasks.every('audit-prune', this.options.intervalMs, prune);
  }
}

import type { Logger } from './ports.js';

/**
 * Work that must not delay an HTTP answer (sending mail, so that its duration cannot reveal
 * whether an address has an account). Failures are logged; `drain` waits for what is in flight,
 * for shutdown and tests.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, work: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error, task: name }, 'background task failed'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

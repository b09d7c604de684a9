import type { Logger } from './ports.js';

/**
 * Work that must not delay an HTTP answer (sending mail, so that its duration cannot reveal
 * whether an address has an account) and periodic upkeep (audit pruning). Failures are logged;
 * `drain` waits for what is in flight, for shutdown and tests.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<ReturnType<typeof setInterval>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, work: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error, task: name }, 'background task failed'))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /**
   * Runs `work` every `intervalMs` as a task (failures logged, awaited by `drain`). The timer does
   * not keep the process alive; `stop` ends every such timer, for shutdown.
   */
  every(name: string, intervalMs: number, work: () => Promise<void>): void {
    const timer = setInterval(() => this.run(name, work), intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

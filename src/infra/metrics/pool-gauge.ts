import { Gauge, type Registry } from 'prom-client';

/** The shape `storage` reports its pool in (structurally; infra does not import storage). */
export interface PoolStatsSource {
  (): { total: number; idle: number; waiting: number };
}

/**
 * `tessera_db_pool_connections{state=total|idle|waiting}`, read from the pool when scraped, so
 * the numbers are current and nothing polls in between.
 */
export function poolGauge(registry: Registry, poolStats: PoolStatsSource): Gauge<'state'> {
  return new Gauge({
    name: 'tessera_db_pool_connections',
    help: 'Database pool connections by state (SQLite: its single connection)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
}

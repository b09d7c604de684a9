import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { AuditObserver, PasswordHasher } from '../../core/ports.js';
import { auditMetrics } from './audit-metrics.js';
import { poolGauge, type PoolStatsSource } from './pool-gauge.js';
import { TimedHasher } from './timed-hasher.js';

/** Labels of one answered HTTP request; `route` is the route pattern, never the raw URL. */
export interface RequestLabels {
  method: string;
  route: string;
  status: number;
}

export interface Metrics {
  registry: Registry;
  /** The Content-Type of `render()`: the Prometheus text format, version 0.0.4. */
  contentType: string;
  render(): Promise<string>;
  observeRequest(labels: RequestLabels, seconds: number): void;
  /** Counts logins, refresh-token reuse and throttling from the core's audit events. */
  auditObserver: AuditObserver;
  /** Wraps the real hasher so each hash and verify is timed. */
  timeHasher(hasher: PasswordHasher): PasswordHasher;
}

/**
 * Every Tessera metric, in a registry of its own (not prom-client's global one), so several apps
 * in one process (the tests) never collide on a metric name. Default process metrics included.
 */
export function createMetrics(options: { poolStats: PoolStatsSource }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const logins = new Counter({
    name: 'tessera_logins_total',
    help: 'Logins by surface and outcome (success, failure)',
    labelNames: ['surface', 'outcome'] as const,
    registers,
  });
  const refreshReuse = new Counter({
    name: 'tessera_refresh_reuse_total',
    help: 'Refresh tokens presented a second time (the session was revoked)',
    registers,
  });
  const rateLimited = new Counter({
    name: 'tessera_rate_limited_total',
    help: 'Throttling by scope: login_account/login_ip = a counter entered backoff; mail_address/mail_ip = a mail request refused',
    labelNames: ['scope'] as const,
    registers,
  });
  const hashDuration = new Histogram({
    name: 'tessera_password_hash_duration_seconds',
    help: 'Password hashing time in seconds, by operation (hash, verify)',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  poolGauge(registry, options.poolStats);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeRequest({ method, route, status }, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      requestDuration.observe(labels, seconds);
    },
    auditObserver: auditMetrics({ logins, refreshReuse, rateLimited }),
    timeHasher: (hasher) => new TimedHasher(hasher, hashDuration),
  };
}

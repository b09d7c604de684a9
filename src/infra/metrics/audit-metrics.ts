import type { Counter } from 'prom-client';
import type { AuditEvent } from '../../core/audit/audit.types.js';
import type { AuditObserver } from '../../core/ports.js';

/** Label values come from code constants (`native`, `ip`, ...); anything else is not one. */
const LABEL = /^[a-z0-9_-]{1,32}$/;

function label(value: unknown): string {
  return typeof value === 'string' && LABEL.test(value) ? value : 'unknown';
}

export interface AuditCounters {
  logins: Counter<'surface' | 'outcome'>;
  refreshReuse: Counter;
  rateLimited: Counter<'scope'>;
}

/**
 * Turns audit events into counters: `login.succeeded` / `login.failed` into
 * `tessera_logins_total{surface,outcome}`, `token.reuse_detected` into
 * `tessera_refresh_reuse_total`, and any `<kind>.throttled` (with `detail.scope`) into
 * `tessera_rate_limited_total{scope="<kind>_<scope>"}`, so a new throttle is counted without a
 * change here. Reads only the event type, surface and scope, never user data.
 */
export function auditMetrics(counters: AuditCounters): AuditObserver {
  return {
    onEvent(event: AuditEvent): void {
      if (event.type.endsWith('.throttled')) {
        const kind = event.type.slice(0, -'.throttled'.length);
        counters.rateLimited.inc({ scope: `${label(kind)}_${label(event.detail.scope)}` });
        return;
      }
      switch (event.type) {
        case 'login.succeeded':
        case 'login.failed':
          counters.logins.inc({
            surface: label(event.detail.surface),
            outcome: event.type === 'login.succeeded' ? 'success' : 'failure',
          });
          break;
        case 'token.reuse_detected':
          counters.refreshReuse.inc();
          break;
        default:
          break;
      }
    },
  };
}

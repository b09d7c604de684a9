import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * What the HTTP layer needs from metrics; `infra/metrics` provides it and `app.ts` passes it in,
 * so no route or hook here knows about prom-client.
 */
export interface HttpMetrics {
  /** The Content-Type of `render()` (Prometheus text format). */
  contentType: string;
  render(): Promise<string>;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
}

/** The label for a request: its route pattern (never the URL, which may carry a mailed code). */
export function routeLabel(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  return request.is404 || !pattern ? 'unmatched' : pattern;
}

/** Records one answered request; also called for router errors, which run no hooks. */
export function observeReply(metrics: HttpMetrics, request: FastifyRequest, reply: FastifyReply): void {
  metrics.observeRequest({ method: request.method, route: routeLabel(request), status: reply.statusCode }, reply.elapsedTime / 1000);
}

/**
 * Counts every answered request (onResponse, so it sees the final status and duration) and serves
 * `GET /metrics` in the Prometheus text format. Register before the surfaces so their routes
 * inherit the hook.
 */
export function registerMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', async (request, reply) => observeReply(metrics, request, reply));
  app.get('/metrics', { schema: { tags: ['standard'], summary: 'Prometheus metrics (text format 0.0.4)' } }, async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.render()),
  );
}

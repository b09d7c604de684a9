import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem.js';

/**
 * Whether this process is shutting down. From the moment it is, readiness answers 503 (so a load
 * balancer stops sending) and every answer carries `Connection: close`, so a keep-alive client
 * reconnects elsewhere instead of holding this process open; requests already under way, and any
 * that arrive on an open connection, are still served.
 */
export class Drain {
  private started = false;

  get active(): boolean {
    return this.started;
  }

  start(): void {
    this.started = true;
  }
}

export function registerDrain(app: FastifyInstance, drain: Drain): void {
  app.addHook('onRequest', async (request, reply) => {
    if (drain.active && request.url.split('?')[0] === '/readyz') {
      return sendProblem(reply, problem(503, 'unavailable', 'Service Unavailable', 'this instance is shutting down'));
    }
  });
  // At answer time, not arrival: a request that arrived before the signal closes its connection too.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (drain.active) void reply.header('connection', 'close');
    return payload;
  });
}

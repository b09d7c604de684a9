import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../core/context/request-context.js';

/** What the core may know about a request: never headers or bodies, only these facts. */
export function contextOf(request: FastifyRequest, surface: string): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    requestId: request.id,
    surface,
    actorId: request.principal?.userId,
  };
}

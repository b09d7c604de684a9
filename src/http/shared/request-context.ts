import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../core/context/request-context.js';
import type { SessionOrigin } from '../../core/sessions/session.service.js';
import { FIRST_PARTY_CLIENTS, type FirstPartySurface } from '../../core/tokens/token-kinds.js';

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

/** The session origin of a first-party surface's login: its documented `client_id`. */
export function firstParty(surface: FirstPartySurface): SessionOrigin {
  return { clientId: FIRST_PARTY_CLIENTS[surface] };
}

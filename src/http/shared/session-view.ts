import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Session } from '../../core/sessions/session.types.js';
import { requestDateTime } from './timezone.js';

/** A session (refresh-token family) as the native and admin APIs show it. */
export const SessionView = Type.Object({
  id: Type.String(),
  client: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.String({ format: 'date-time' }),
});

export function sessionView(request: FastifyRequest, s: Session) {
  return {
    id: s.id,
    client: s.client,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: requestDateTime(request, s.createdAt),
    lastUsedAt: requestDateTime(request, s.lastUsedAt),
  };
}

import type { FastifyRequest } from 'fastify';
import { requestDateTime } from '../../shared/timezone.js';

/**
 * Seed 001 shows `2023-01-15T10:30:42`: UTC, whole seconds, no offset. With X-nugios-timezone
 * the time is shifted and the offset is written (`2023-01-15T14:30:42+04:00`).
 */
export function authHeadersDateTime(request: FastifyRequest, epochMs: number): string {
  return requestDateTime(request, epochMs, { offset: request.timezoneOffset !== undefined, millis: false });
}

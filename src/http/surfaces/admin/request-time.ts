import type { FastifyRequest } from 'fastify';
import type { DateTimeText } from '../../../core/views/operator-views.js';
import { requestDateTime } from '../../shared/timezone.js';

/** The admin API's date-times: ISO 8601 to the second, in the request's `X-nugios-timezone` offset (UTC without it). */
export function requestTime(request: FastifyRequest): DateTimeText {
  return (epochMs) => requestDateTime(request, epochMs);
}

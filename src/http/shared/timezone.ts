import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError } from '../../core/errors.js';

export const TIMEZONE_HEADER = 'x-nugios-timezone';
const MIN_OFFSET = -720;
const MAX_OFFSET = 840;

declare module 'fastify' {
  interface FastifyRequest {
    /** Minutes east of UTC from `X-nugios-timezone`; undefined when the header is absent. */
    timezoneOffset: number | undefined;
  }
}

/**
 * Validates `X-nugios-timezone` on every request: an integer from -720 to 840, else 400. Thrown as
 * the core's `invalid_input` naming the header, so each surface answers in its own shape (problem
 * JSON, or RFC 6749 `invalid_request` on the OAuth endpoints).
 */
export function registerTimezone(app: FastifyInstance): void {
  app.decorateRequest('timezoneOffset', undefined);
  app.addHook('onRequest', async (request) => {
    const raw = request.headers[TIMEZONE_HEADER];
    if (raw === undefined) return;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    const offset = /^[+-]?\d{1,4}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isInteger(offset) || offset < MIN_OFFSET || offset > MAX_OFFSET) {
      throw new AuthError('invalid_input', `X-nugios-timezone must be an integer number of minutes from ${MIN_OFFSET} to ${MAX_OFFSET}`, {
        field: 'X-nugios-timezone',
      });
    }
    request.timezoneOffset = offset;
  });
}

export interface DateTimeFormat {
  /** Seed 001 renders `2023-01-15T10:30:42`: no offset, no fraction. */
  offset: boolean;
  millis: boolean;
}

const ISO: DateTimeFormat = { offset: true, millis: false };

/**
 * Renders epoch ms in the request's offset: `2024-06-15T22:30:00+04:00`, or `...Z` (UTC) when
 * no timezone header was sent. One function for every surface.
 */
export function formatDateTime(epochMs: number, offsetMinutes: number | undefined, format: DateTimeFormat = ISO): string {
  const shifted = new Date(epochMs + (offsetMinutes ?? 0) * 60_000).toISOString();
  const base = format.millis ? shifted.slice(0, 23) : shifted.slice(0, 19);
  if (!format.offset) return base;
  if (offsetMinutes === undefined) return `${base}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function requestDateTime(request: FastifyRequest, epochMs: number, format?: DateTimeFormat): string {
  return formatDateTime(epochMs, request.timezoneOffset, format);
}

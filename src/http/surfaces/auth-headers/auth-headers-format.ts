import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requestDateTime } from '../../shared/timezone.js';

/** Seed 001's date-time: `2023-01-15T10:30:42`, whole seconds, no fraction, no offset. */
export const SEED_001_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

/**
 * The schema of a seed 001 date-time for the OpenAPI document. The form is said in words and by
 * example, not as a `pattern`: the serializer checks patterns inside a union (`PasswordExpiration`
 * is string or null), and a date it could not match would turn the answer into a 500.
 */
export const SeedDateTime = (description: string) =>
  Type.String({ examples: ['2023-01-15T10:30:42'], description: `${description}; the form of ${SEED_001_DATE_TIME.source}` });

/**
 * Seed 001 shows `2023-01-15T10:30:42`: whole seconds, no offset. Without X-nugios-timezone it is
 * UTC; with it, the local time of that offset, still without an offset suffix (a client parsing
 * the seed's form strictly must read every answer), as ../shared/API.md fixes.
 */
export function authHeadersDateTime(request: FastifyRequest, epochMs: number): string {
  return requestDateTime(request, epochMs, { offset: false, millis: false });
}

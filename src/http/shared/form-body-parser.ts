import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError } from '../../core/errors.js';
import { decodeFormComponent, decodeUtf8, fieldPath } from './text-guards.js';

export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A parsed form: a key given twice holds every value, which a string schema then refuses. */
export type FormBody = Record<string, string | string[]>;

function refuse(detail: string, field?: string): never {
  throw new AuthError('invalid_input', detail, field ? { field } : {});
}

/**
 * Parses an `application/x-www-form-urlencoded` body strictly: the bytes are UTF-8, every
 * component decodes with {@link decodeFormComponent}. A lenient parser keeps a bad escape as
 * literal text or turns it into U+FFFD, so `%ED%A0%80` (an encoded lone surrogate), `%EF%BF%BD`
 * and a stray `%` could be one password. The object has no prototype, so `__proto__` is a key.
 */
export function parseFormBody(bytes: Buffer): FormBody {
  const text = decodeUtf8(bytes);
  if (text === undefined) refuse('the form body is not valid UTF-8');
  const form: FormBody = Object.create(null) as FormBody;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (key === undefined) refuse('a form field name is not valid percent-encoded UTF-8');
    const value = decodeFormComponent(eq < 0 ? '' : pair.slice(eq + 1));
    const field = fieldPath([key]);
    if (value === undefined) refuse(`the form field ${JSON.stringify(field)} is not valid percent-encoded UTF-8`, field);
    const previous = form[key];
    if (previous === undefined) form[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else form[key] = [previous, value];
  }
  return form;
}

/**
 * Lets a surface take forms (the OAuth endpoints do, as RFC 6749 section 3.2 says), parsed by
 * {@link parseFormBody}; a refused body is the core's `invalid_input`, which the surface renders.
 */
export function registerFormBodyParser(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser(FORM_TYPE, { parseAs: 'buffer', bodyLimit }, async (_request: FastifyRequest, body: Buffer) => parseFormBody(body));
}

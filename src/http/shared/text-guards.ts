import type { FastifyInstance } from 'fastify';
import { AuthError } from '../../core/errors.js';

/**
 * A UTF-16 surrogate without its partner. No UTF-8 can carry one, so on its way to the database,
 * the password hasher or a log it silently becomes U+FFFD: `\ud800`, `\udfff` and `\ufffd` would
 * be one password. In `u` mode a well-formed pair is one astral code point, so only lone halves match.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Longest key path an error names; a key may be as long as the body. */
const MAX_PATH_LENGTH = 100;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** The bytes as text, or undefined when they are not valid UTF-8 (instead of replacing them). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A key path as an error names it: `profile.name`, cut short when a key is huge. */
export function fieldPath(path: readonly string[]): string {
  const joined = path.join('.');
  return joined.length > MAX_PATH_LENGTH ? `${joined.slice(0, MAX_PATH_LENGTH)}...` : joined;
}

/**
 * One `application/x-www-form-urlencoded` component (a form field, a Basic credential as RFC 6749
 * section 2.3.1 encodes it): `+` is a space, every `%` starts an escape, and the escapes spell
 * valid UTF-8 (`%ED%A0%80`, an encoded surrogate, does not). Undefined for anything else, where a
 * lenient decoder would keep the text undecoded or put U+FFFD in its place.
 */
export function decodeFormComponent(raw: string): string | undefined {
  try {
    const decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
    return hasLoneSurrogate(decoded) ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, on every route, a URL whose percent-escapes do not spell valid UTF-8 or that holds a
 * lone surrogate: path parameters and query values are slices of the URL, so this one check
 * covers them all before any route reads them. Thrown as the core's `invalid_input`, so each
 * surface answers in its own shape (problem JSON, or RFC 6749 `invalid_request`).
 */
export function registerUrlTextGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '';
    const wellFormed = url.includes('%') ? decodeFormComponent(url) !== undefined : !hasLoneSurrogate(url);
    if (!wellFormed) throw new AuthError('invalid_input', 'the URL is not valid percent-encoded UTF-8');
  });
}

import type { FastifyRequest } from 'fastify';

/** Path segments that carry a secret (mailed codes: the API's confirm and verify, the pages /reset/{code} and /verify-email/{code}) are replaced before a URL is logged. */
const SECRET_PATHS = /(\/v1\/user\/(?:confirm|email\/verify)\/|^\/reset\/|^\/verify-email\/)[^/?#]+/g;

export function redactUrl(url: string): string {
  const path = url.replace(SECRET_PATHS, '$1[REDACTED]');
  const query = path.indexOf('?');
  return query === -1 ? path : `${path.slice(0, query)}?[REDACTED]`;
}

/** What a request log line holds: never headers, bodies or secret path segments. */
export function serializeRequest(request: FastifyRequest) {
  return { id: request.id, method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
}

/** Header and body paths pino must never print, whatever a handler logs. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.password',
  '*.oldPassword',
  '*.token',
  '*.refresh_token',
  '*.access_token',
  '*.refreshToken',
  '*.accessToken',
  '*.passwordHash',
  '*.privatePem',
  '*.code',
];

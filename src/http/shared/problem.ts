import type { FastifyReply } from 'fastify';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, plus a stable `code` and, for validation, the offending fields. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [member: string]: unknown;
}

export function problem(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `urn:tessera:problem:${code}`, title, status, detail, code, ...extra };
}

/**
 * Sends a problem. 401s carry the Bearer challenge (RFC 6750), 429/503 a Retry-After, and no
 * problem is ever cached.
 */
export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  if (body.status === 401 && !reply.hasHeader('www-authenticate')) {
    const error = body.code === 'invalid_token' ? ', error="invalid_token"' : '';
    void reply.header('www-authenticate', `Bearer realm="tessera"${error}`);
  }
  if ((body.status === 503 || body.status === 429) && !headers['retry-after']) void reply.header('retry-after', '5');
  return reply
    .code(body.status)
    .headers(headers)
    .header('cache-control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    // Serialized here, not by the route's response schema: a problem must never fail to render
    // because a route documents another shape for the same status.
    .send(JSON.stringify(body));
}

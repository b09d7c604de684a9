import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAuthError, type AuthError } from '../../core/errors.js';
import { JsonBodyError } from './json-body-parser.js';
import { problem, sendProblem, type FieldError, type Problem } from './problem.js';
import { authErrorProblem } from './problem-map.js';
import { isDatabaseUnavailable } from './unavailable.js';

export type AuthErrorRenderer = (error: AuthError, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/** Sends what the handler found outside the core (a body it could not read, the database): problem JSON by default. */
export type ProblemSender = (reply: FastifyReply, problem: Problem) => FastifyReply;

/** Renders a core error as RFC 9457 problem JSON (the default for every surface). */
export const renderProblem: AuthErrorRenderer = (error, _request, reply) => {
  const retryAfter = error.extra.retryAfter;
  return sendProblem(reply, authErrorProblem(error), typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {});
};

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/username` -> `username`; a missing property is named from the validator's params. */
function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const missing = issue.params?.requiredProperties ?? issue.params?.missingProperty;
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const name = Array.isArray(missing) ? missing.join(',') : typeof missing === 'string' ? missing : '';
  const joined = [path, name].filter(Boolean).join('.');
  return joined || (context ?? 'body');
}

/** What the route's own plugin parses: JSON everywhere, forms where a surface registered them. */
function acceptedMediaType(request: FastifyRequest): string {
  const form = 'application/x-www-form-urlencoded';
  return !request.server.hasContentTypeParser('application/json') && request.server.hasContentTypeParser(form) ? form : 'application/json';
}

/**
 * One error handler for every surface: validation, content-type, size and parse errors become
 * 400/413/415 problems, an unreachable database 503, core errors go through the surface's
 * renderer, and anything else is a logged 500 whose answer holds no detail. `send` puts those
 * problems in the surface's wire shape (the OAuth endpoints answer RFC 6749's, never problem JSON).
 */
export function errorHandler(render: AuthErrorRenderer = renderProblem, send: ProblemSender = sendProblem) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    if (isAuthError(error)) return render(error, request, reply);
    if (error instanceof JsonBodyError) {
      const errors = error.fieldError ? { errors: [error.fieldError] } : {};
      return send(reply, problem(400, 'invalid_input', 'Bad Request', error.message, errors));
    }
    if (error.validation) {
      const errors: FieldError[] = (error.validation as ValidationIssue[]).map((issue) => ({
        field: fieldOf(issue, error.validationContext),
        message: issue.message ?? 'is invalid',
      }));
      const detail = `invalid ${error.validationContext ?? 'request'}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
      return send(reply, problem(400, 'invalid_input', 'Bad Request', detail, { errors }));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, problem(415, 'unsupported_media_type', 'Unsupported Media Type', `send the body as ${acceptedMediaType(request)}`));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, problem(413, 'payload_too_large', 'Content Too Large', 'the body is larger than 64 KiB'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, problem(400, 'invalid_input', 'Bad Request', 'the JSON body is empty'));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, problem(400, 'invalid_input', 'Bad Request', 'the body is not valid JSON'));
    }
    if (error instanceof SyntaxError && /prototype|constructor/i.test(error.message)) {
      return send(reply, problem(400, 'invalid_input', 'Bad Request', 'the body must not contain __proto__ or constructor.prototype keys'));
    }
    if (error instanceof SyntaxError) {
      return send(reply, problem(400, 'invalid_input', 'Bad Request', 'the body is not valid JSON'));
    }
    if (error.statusCode === 400) {
      return send(reply, problem(400, 'invalid_input', 'Bad Request', 'the request could not be parsed'));
    }
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return send(reply, problem(503, 'unavailable', 'Service Unavailable', 'the database is not reachable; try again shortly'));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, problem(error.statusCode, 'bad_request', 'Bad Request', 'the request was not acceptable'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, problem(500, 'internal_error', 'Internal Server Error', 'an unexpected error occurred'));
  };
}

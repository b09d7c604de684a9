import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem.js';

/**
 * Where the OAuth endpoints live: under it a 405 is RFC 6749's `{error, error_description}`
 * (`invalid_request`), like every other error those endpoints give; elsewhere RFC 9457 problem JSON.
 * The choice is made here, in the not-found context Fastify keeps for this prefix, so the OAuth
 * surface needs no not-found handler of its own (Fastify allows one per prefix).
 */
export const OAUTH_PREFIX = '/oauth2';

/**
 * The methods some route answers for this URL, asked of Fastify's own router (`findRoute` with the
 * request's URL, so parameters, wildcards and escapes match exactly as routing did). OPTIONS alone
 * does not make a path known: with CORS on, a wildcard OPTIONS route answers every path.
 */
function allowedMethods(app: FastifyInstance, request: FastifyRequest): string[] {
  const allowed = app.supportedMethods.filter((method) => app.findRoute({ method, url: request.url }) !== null);
  return allowed.some((method) => method !== 'OPTIONS') ? allowed : [];
}

type Render405 = (reply: FastifyReply, method: string, allow: string[]) => FastifyReply;

/**
 * An onRequest hook, so the answer comes before any body is read (a wrong method with a broken or
 * huge body is a 405, not a 400 or 413): for a request no route took, 405 with `Allow` when the
 * path exists, and for TRACE always. Anything else goes on to the 404 handler.
 */
function refuseWrongMethod(app: FastifyInstance, render405: Render405) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.is404) return;
    const allow = allowedMethods(app, request);
    // TRACE echoes the request (headers included) back: no route serves it, so it is refused everywhere.
    if (allow.length === 0 && request.method !== 'TRACE') return;
    // RFC 9110 15.5.6: a 405 names what is allowed. The path is not echoed: it may carry a mailed code.
    render405(reply.header('allow', allow.join(', ')), request.method, allow);
    return reply;
  };
}

function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, problem(404, 'not_found', 'Not Found', `no route for ${request.method} ${request.url.split('?')[0]}`));
}

function describe(method: string, allow: string[]): string {
  return allow.length > 0 ? `${method} is not allowed here; allowed: ${allow.join(', ')}` : `${method} is not allowed on any path`;
}

const problem405 = (reply: FastifyReply, method: string, allow: string[]) =>
  sendProblem(reply, problem(405, 'method_not_allowed', 'Method Not Allowed', describe(method, allow)));

const oauth405 = (reply: FastifyReply, method: string, allow: string[]) =>
  reply
    .code(405)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: 'invalid_request', error_description: describe(method, allow) }));

/**
 * The not-found handling: the root's, and its own for the OAuth prefix. Call it after the root's
 * other hooks are added (security headers, request id, metrics): a prefixed context copies the
 * hooks that exist when it is registered, and its answers must carry the same headers. The root's
 * 405 hook is added after the prefixed context, so only the OAuth shape answers there.
 */
export async function registerNotFoundHandlers(app: FastifyInstance): Promise<void> {
  app.setNotFoundHandler(notFound);
  await app.register(
    async (oauth) => {
      oauth.addHook('onRequest', refuseWrongMethod(app, oauth405));
      oauth.setNotFoundHandler(notFound);
    },
    { prefix: OAUTH_PREFIX },
  );
  app.addHook('onRequest', refuseWrongMethod(app, problem405));
}

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { apiKeysMay } from '../../core/auth/policy.js';
import { guardedAction } from './authenticate.js';
import { DOCS_FAVICON, DOCS_LOGO, DOCS_TITLE } from './docs-theme.js';
import { finishDocument, SECURITY_SCHEMES, type OpenApiDocument } from './openapi-document.js';
import { GUARDED_PREFIXES, OPERATIONS, type Caller, type OperationEntry } from './openapi-operations.js';

export interface OpenApiOptions {
  publicUrl: string;
  version: string;
  /** The Content-Security-Policy of the /docs pages. */
  docsCsp: string;
}

type SecurityRequirement = Record<string, string[]>;

/** The route hooks a guard may sit in (those that run before the handler). */
const GUARD_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

/** The action of the route's own requireAuth guard, or of the plugin guarding its prefix. */
function routeAction(route: RouteOptions) {
  for (const name of GUARD_HOOKS) {
    for (const hook of [route[name]].flat()) {
      const action = guardedAction(hook);
      if (action) return action;
    }
  }
  return GUARDED_PREFIXES.find(({ prefix }) => route.url.startsWith(prefix))?.action;
}

/** What one way of calling means as OpenAPI security requirements (alternatives, any one suffices). */
function requirements(caller: Caller, entry: OperationEntry): SecurityRequirement[] {
  if (caller === 'anonymous') return [{}];
  if (caller === 'oauthClient') return [{ oauthClientBasic: [] }];
  const keys = apiKeysMay(caller) && !entry.noApiKeys;
  return [{ bearerAuth: [] }, ...(keys ? [{ apiKeyHeader: [] }, { apiKeyAuthorization: [] }] : [])];
}

/**
 * The operation's security: from the guard when the route has one, else from the table. A
 * public operation is `[]` (no requirement at all); anonymous as one alternative among others is
 * the empty requirement `{}`, listed last.
 */
function securityOf(key: string, route: RouteOptions, entry: OperationEntry): SecurityRequirement[] {
  const action = routeAction(route);
  if (action && entry.callers) throw new Error(`OpenAPI: ${key} has a requireAuth guard; drop its callers in openapi-operations.ts`);
  const callers = action ? [action] : entry.callers;
  if (!callers) throw new Error(`OpenAPI: ${key} has no guard; say who may call it (callers) in openapi-operations.ts`);
  if (callers.length === 1 && callers[0] === 'anonymous') return [];
  const all = callers.flatMap((caller) => requirements(caller, entry));
  return [...all.filter((r) => Object.keys(r).length > 0), ...all.filter((r) => Object.keys(r).length === 0)];
}

/**
 * Names every documented route from OPERATIONS and gives it the security it really accepts. A
 * documented route missing from the table fails the document, and the document is built once
 * at start-up (below), so such a route fails start-up.
 */
function describeRoute({ schema, url, route }: { schema: FastifySchema | undefined; url: string; route: RouteOptions }) {
  // swagger documents a route without a schema too: it needs a name like any other
  if (schema?.hide) return { schema, url };
  const methods = [route.method].flat();
  if (methods.length !== 1) throw new Error(`OpenAPI: ${methods.join(',')} ${route.url} must be one route per method (one operationId each)`);
  const key = `${methods[0]} ${route.url}`;
  const entry = OPERATIONS[key];
  if (!entry) throw new Error(`OpenAPI: ${key} has no entry in OPERATIONS (src/http/shared/openapi-operations.ts): give it an operationId`);
  return { schema: { ...schema, operationId: entry.id, security: securityOf(key, route, entry) }, url };
}

/**
 * The OpenAPI document (GET /openapi.json) and its Swagger UI (/docs). Call it before the
 * surfaces are registered: @fastify/swagger collects the routes added after it.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  const byId = new Map(Object.values(OPERATIONS).map((entry) => [entry.id, entry]));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tessera',
        version: options.version,
        description: 'One authentication server, four auth APIs. Errors are RFC 9457 problem JSON (RFC 6749 errors on /oauth2/*).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: options.publicUrl }],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: describeRoute,
    transformObject: (document) => ('openapiObject' in document ? finishDocument(document.openapiObject as OpenApiDocument, byId) : document.swaggerObject),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: options.docsCsp,
    logo: { type: 'image/svg+xml', content: DOCS_LOGO, href: '/docs', target: '_self' },
    theme: { title: DOCS_TITLE, favicon: [{ filename: 'favicon.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: DOCS_FAVICON }] },
    // the document is checked by the lint step in CI; no request goes to a third-party validator
    validatorUrl: false,
  });
  app.get('/openapi.json', { schema: { hide: true } }, (_request, reply) => reply.header('cache-control', 'public, max-age=60').send(app.swagger()));
  // Built once every route is known: a route without an operationId or an access rule stops
  // start-up here, rather than surfacing as a 500 on the first GET /openapi.json.
  app.addHook('onReady', async () => {
    app.swagger();
  });
}

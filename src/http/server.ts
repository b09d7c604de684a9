import { registerAjvFormats, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Core } from '../core/tessera.js';
import { AccessLogController } from './shared/access-log.js';
import { registerCors } from './shared/cors.js';
import { registerDrain, type Drain } from './shared/drain.js';
import { errorHandler } from './shared/error-handler.js';
import { registerJsonBodyParser } from './shared/json-body-parser.js';
import { registerNotFoundHandlers } from './shared/method-not-allowed.js';
import { observeReply, registerMetrics, type HttpMetrics } from './shared/metrics.js';
import { problem, sendProblem } from './shared/problem.js';
import { registerOpenApi } from './shared/openapi.js';
import { API_CONTENT_SECURITY_POLICY, docsContentSecurityPolicy, registerSecurityHeaders } from './shared/security-headers.js';
import { registerPrincipal } from './shared/authenticate.js';
import { registerTimezone } from './shared/timezone.js';
import { registerUrlTextGuard } from './shared/text-guards.js';
import { registerPageAssets } from './shared/pages/page-assets.js';
import { PageKit, type PageOptions } from './shared/pages/page-kit.js';
import { accountSurface } from './surfaces/account/plugin.js';
import { adminSurface } from './surfaces/admin/plugin.js';
import { authHeadersSurface } from './surfaces/auth-headers/plugin.js';
import { integrationSurface } from './surfaces/integration/plugin.js';
import { iotSurface } from './surfaces/iot/plugin.js';
import { nativeSurface } from './surfaces/native/plugin.js';
import { oauth2Surface } from './surfaces/oauth2/plugin.js';
import { oidcSurface } from './surfaces/oidc/plugin.js';
import { pagesSurface } from './surfaces/pages/plugin.js';
import { standardSurface } from './surfaces/standard/plugin.js';

export const BODY_LIMIT = 64 * 1024;

export interface ServerOptions {
  publicUrl: string;
  version: string;
  /** Whose X-Forwarded-For is believed for the client IP (TRUST_PROXY); false = the socket peer. */
  trustProxy?: boolean | string[] | undefined;
  /** Request metrics and `GET /metrics`; absent when METRICS_ENABLED=false. */
  metrics?: HttpMetrics | undefined;
  /** Browser origins allowed cross-origin (CORS_ORIGINS); unset = no CORS headers at all. */
  corsOrigins?: readonly string[] | undefined;
  /** Set when the process starts shutting down (see drain.ts). */
  drain?: Drain | undefined;
  /** Slow-client bounds (REQUEST_TIMEOUT, HEADERS_TIMEOUT, KEEP_ALIVE_TIMEOUT), milliseconds. */
  timeouts?: { requestMs: number; headersMs: number; keepAliveMs: number } | undefined;
  /** Branding and the CSRF key of the HTML pages (PRODUCT_NAME, BRAND_COLOR). */
  pages: PageOptions;
}

/** Node's defaults would let a client take 300 s for a request; these are the server's own. */
const DEFAULT_TIMEOUTS = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000 };

/** Fastify's overloads want one member of the trustProxy union at a time. */
function trustProxyOption(value: ServerOptions['trustProxy']): boolean | string {
  if (Array.isArray(value)) return value.join(',');
  return value ?? false;
}

/** Responses that may be cached say so themselves; everything else carries no-store. */
const CACHEABLE = /^\/(docs|openapi\.json)/;

/**
 * The Fastify root: shared hooks and error handling, then each surface as its own encapsulated
 * plugin with its own error rendering.
 */
export async function buildServer(core: Core, logger: FastifyBaseLogger, options: ServerOptions): Promise<FastifyInstance> {
  registerAjvFormats();
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const app = Fastify({
    loggerInstance: logger,
    // One concise line per request, see access-log.ts.
    logController: new AccessLogController(logger),
    bodyLimit: BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: trustProxyOption(options.trustProxy),
    // While closing, requests on connections already open are served (with Connection: close,
    // see drain.ts) rather than refused: a client that sent its request before the signal gets
    // its answer.
    return503OnClosing: false,
    // A request must arrive whole within requestTimeout (headers within headersTimeout), or its
    // connection is cut with 408: slow clients cannot hold connections open. Node checks every
    // connectionsCheckingInterval, so the bound is the timeout plus at most a second.
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: 1_000 },
    routerOptions: { maxParamLength: 512 },
    // Router-level failures (an undecodable URL, an over-long path parameter) are problem JSON
    // too; the path is not echoed, since it may carry a mailed code. No hook (the security headers' included)
    // runs for them, so nosniff and the CSP are set here.
    frameworkErrors: (error, request, reply) => {
      void reply.header('x-content-type-options', 'nosniff').header('content-security-policy', API_CONTENT_SECURITY_POLICY);
      void (error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? sendProblem(reply, problem(414, 'invalid_input', 'URI Too Long', 'a path parameter is too long'))
        : sendProblem(reply, problem(400, 'invalid_input', 'Bad Request', 'the URL is not valid')));
      if (options.metrics) observeReply(options.metrics, request, reply);
    },
  })
    .withTypeProvider<TypeBoxTypeProvider>()
    .setValidatorCompiler(TypeBoxValidatorCompiler);
  // JSON only (any other content type is a 415), parsed strictly: see json-body-parser.ts.
  registerJsonBodyParser(app);
  // Path and query: escapes must spell UTF-8, no lone surrogates (the body parsers check bodies).
  registerUrlTextGuard(app);

  app.setErrorHandler(errorHandler());
  registerSecurityHeaders(app, options.publicUrl);
  await registerCors(app, options.corsOrigins);
  if (options.drain) registerDrain(app, options.drain);
  registerTimezone(app);
  registerPrincipal(app);
  if (options.metrics) registerMetrics(app, options.metrics);
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('cache-control') && !CACHEABLE.test(request.url)) void reply.header('cache-control', 'no-store');
    void reply.header('x-request-id', request.id);
    return payload;
  });
  // 404, and 405 with Allow for a known path (TRACE on any): after the hooks above, see the file.
  await registerNotFoundHandlers(app);

  await registerOpenApi(app, { publicUrl: options.publicUrl, version: options.version, docsCsp: docsContentSecurityPolicy(options.publicUrl) });

  await app.register(standardSurface, { core });
  await app.register(nativeSurface, { core });
  await app.register(integrationSurface, { core });
  await app.register(authHeadersSurface, { core });
  await app.register(iotSurface, { core });
  await app.register(adminSurface, { core });
  await app.register(oauth2Surface, { core });
  // The HTML pages: one kit (CSRF, CSP, strings, branding) for every surface that serves pages.
  const pages = new PageKit(options.pages);
  await registerPageAssets(app, pages);
  await app.register(pagesSurface, { core, pages });
  await app.register(accountSurface, { core, pages });
  await app.register(oidcSurface, { core, pages });
  return app;
}

import { STATUS_CODES } from 'node:http';
import type { OperationEntry } from './openapi-operations.js';
import { ProblemSchema } from './schemas.js';

/** The parts of an OpenAPI 3.1 document this file reads and writes. */
interface Response {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
  $ref?: string;
}
interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: unknown[];
  responses: Record<string, Response>;
}
export interface OpenApiDocument {
  tags?: Array<{ name: string; description: string }>;
  components?: Record<string, Record<string, unknown>>;
  paths: Record<string, Record<string, Operation>>;
  [member: string]: unknown;
}

const PROBLEM = 'application/problem+json';
const problemRef = { $ref: '#/components/schemas/Problem' };
const oauthErrorRef = { $ref: '#/components/schemas/OAuthError' };
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
};

const OAuthError = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  description: 'RFC 6749 section 5.2 error',
};

/** The credentials Tessera accepts (src/http/shared/authenticate.ts), as OpenAPI security schemes. */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token from any Tessera login (a bare `Authorization: <jwt>` without the scheme works too, as seed 001 shows). ' +
      'Where the API key schemes are listed as well, an API key is accepted here too.',
  },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (POST /authheader/add), as is.' },
  apiKeyAuthorization: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'An API key in the `ApiKey` scheme (the header value is `ApiKey <key>`), or bare (`<key>` alone, as seed 001 sends its header).',
  },
  oauthClientBasic: {
    type: 'http',
    scheme: 'basic',
    description: 'A registered OAuth client: client_id and client_secret, each form-urlencoded (RFC 6749 section 2.3.1). client_id/client_secret in the form body work too.',
  },
} as const;

const responses = {
  BadRequest: { description: 'Bad Request: the body, a parameter or the X-nugios-timezone header is not valid', content: { [PROBLEM]: { schema: problemRef } } },
  TooManyRequests: { description: 'Too Many Requests: throttled; try again after Retry-After seconds', headers: retryAfter, content: { [PROBLEM]: { schema: problemRef } } },
  ServiceUnavailable: {
    description: 'Service Unavailable: the database is not reachable; try again after Retry-After seconds',
    headers: retryAfter,
    content: { [PROBLEM]: { schema: problemRef } },
  },
  OAuthBadRequest: {
    description:
      'Bad Request: RFC 6749 error (invalid_request, invalid_grant, invalid_client without HTTP Basic, ...), also for what fails before the endpoint: a body that is not a form, the X-nugios-timezone header',
    content: { 'application/json': { schema: oauthErrorRef } },
  },
  OAuthUnauthorized: {
    description: 'Unauthorized: invalid_client after HTTP Basic, with a Basic challenge (RFC 6749 section 5.2); invalid_token with a Bearer challenge for a refused bearer token',
    headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
    content: { 'application/json': { schema: oauthErrorRef } },
  },
  OAuthTooManyRequests: { description: 'Too Many Requests: slow_down; try again after Retry-After seconds', headers: retryAfter, content: { 'application/json': { schema: oauthErrorRef } } },
  OAuthServiceUnavailable: {
    description: 'Service Unavailable: temporarily_unavailable, the database is not reachable; try again after Retry-After seconds',
    headers: retryAfter,
    content: { 'application/json': { schema: oauthErrorRef } },
  },
};

const parameters = {
  Timezone: {
    name: 'X-nugios-timezone',
    in: 'header',
    required: false,
    description: 'Minutes east of UTC (240 = UTC+4): date-times rendered as strings use that offset. Anything outside -720..840 is a 400.',
    schema: { type: 'integer', minimum: -720, maximum: 840 },
  },
};

const tags = [
  { name: 'native', description: 'Seed 002, the authorization service (/v1)' },
  { name: 'integration', description: 'Seed 000, the integration API' },
  { name: 'auth-headers', description: 'Seed 001, JWT login and API keys' },
  { name: 'iot', description: 'Seed 003, the IoT platform auth (/v1/api/auth)' },
  { name: 'oauth2', description: 'OAuth 2.0 token, introspection and revocation endpoints (RFC 6749, 7662, 7009, 8693), discovery' },
  { name: 'standard', description: 'JWKS, health and readiness' },
  { name: 'admin', description: 'The admin API: needs a token (not an API key) of a user with role admin' },
];

const problemJson = JSON.stringify(ProblemSchema);
const problemComponent = JSON.parse(problemJson) as { description?: string };
const isProblem = (schema: unknown) => JSON.stringify(schema) === problemJson;

/** Problem answers as what they are: application/problem+json, one shared schema. */
function shareProblemSchema(response: Response): void {
  if (!response.content) return;
  for (const [type, media] of Object.entries(response.content)) {
    if (!isProblem(media.schema)) continue;
    delete response.content[type];
    response.content[PROBLEM] = { schema: problemRef };
  }
}

/** The answers every operation can give that its route does not spell out. */
function completeOperation(path: string, operation: Operation, entry: OperationEntry): void {
  const oauth = path.startsWith('/oauth2/');
  const r = operation.responses;
  for (const [status, response] of Object.entries(r)) {
    shareProblemSchema(response);
    // swagger's placeholder, or the problem schema's own description: say the status instead
    if (response.description === 'Default Response' || response.description === problemComponent.description) {
      response.description = STATUS_CODES[Number(status)] ?? 'Response';
    }
  }
  r['400'] ??= { $ref: `#/components/responses/${oauth ? 'OAuthBadRequest' : 'BadRequest'}` };
  if (oauth && operation.security?.some((s) => 'oauthClientBasic' in s)) r['401'] ??= { $ref: '#/components/responses/OAuthUnauthorized' };
  if (entry.throttled) r['429'] = { $ref: `#/components/responses/${oauth ? 'OAuthTooManyRequests' : 'TooManyRequests'}` };
  if (!entry.offline) r['503'] = { $ref: `#/components/responses/${oauth ? 'OAuthServiceUnavailable' : 'ServiceUnavailable'}` };
  operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/Timezone' }];
}

/**
 * The document-wide part (swagger's transformObject): shared components, the answers routes
 * leave implicit (400 for a bad header, 429 where a throttle applies, 503 wherever the database
 * is read), tags, and one check that no operationId is used twice.
 */
export function finishDocument(doc: OpenApiDocument, byId: ReadonlyMap<string, OperationEntry>): OpenApiDocument {
  const seen = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const id = operation.operationId;
      const entry = id === undefined ? undefined : byId.get(id);
      if (!id || !entry) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} has no operationId from openapi-operations.ts`);
      if (seen.has(id)) throw new Error(`OpenAPI: operationId ${id} is used twice`);
      seen.add(id);
      completeOperation(path, operation, entry);
    }
  }
  // only the shared answers some operation refers to (the OAuth ones fill in what routes leave out)
  const used = JSON.stringify(doc.paths);
  doc.components = {
    ...doc.components,
    responses: Object.fromEntries(Object.entries(responses).filter(([name]) => used.includes(`"#/components/responses/${name}"`))),
    parameters,
    schemas: { ...doc.components?.schemas, Problem: problemComponent, OAuthError },
  };
  doc.tags = tags;
  return doc;
}

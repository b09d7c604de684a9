/**
 * Request generators for the fuzz tests: operations read from /openapi.json, bodies generated
 * from their JSON schemas (valid-ish values) mixed with hostile ones, random credentials, and
 * the one rule every answer must keep (no 5xx; a 4xx is problem JSON, or OAuth's shape on /oauth2).
 */
import fc from 'fast-check';

/** The parts of JSON Schema the generators read (what TypeBox emits for our routes). */
export interface JsonSchema extends Partial<Record<'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'minItems' | 'maxItems', number>> {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
}

interface Param { name: string; in: string; schema: JsonSchema }

export interface Operation {
  method: string;
  path: string;
  body?: { schema: JsonSchema; form: boolean };
  params: Param[];
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Values the generators prefer for a property or parameter name: real ids, tokens and users. */
export type Dictionary = Record<string, string[]>;

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: Param[] }>>;
}

export function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const content = op.requestBody?.content ?? {};
      const json = content['application/json'];
      const form = content['application/x-www-form-urlencoded'];
      const body = json ? { schema: json.schema, form: false } : form ? { schema: form.schema, form: true } : undefined;
      return { method: method.toUpperCase(), path, params: op.parameters ?? [], ...(body ? { body } : {}) };
    }),
  );
}

/** Raw JSON text spliced in as is: numbers JSON.stringify cannot write, deep nesting. */
class Raw {
  constructor(readonly text: string) {}
}
type Json = null | boolean | number | string | Raw | Json[] | { [key: string]: Json };

function toJson(value: Json): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** encodeURIComponent, except that a lone surrogate becomes the UTF-8 of U+FFFD instead of throwing. */
function enc(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

const PRINTABLE = [...Array(95).keys()].map((i) => String.fromCharCode(32 + i));
const printable = (maxLength: number) => fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength });
const NASTY = [
  '', ' ', '\u0000', 'a\u0000b', '\u0007\u001b[31m\b', '\u200b', 'ad\u200bmin', '\u202eevil\u202c', '\u{1F469}\u200d\u{1F469}\u200d\u{1F467}',
  '\ud800', '\udfff', '\uFF41\uFF44\uFF4D\uFF49\uFF4E', '\u0130', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>',
  '${jndi:ldap://x}', '%00', '\r\nSet-Cookie: x=1', 'NaN', 'Infinity', '-0', '1e309', 'null', 'true', '__proto__', 'constructor',
  '\uFEFF', '\u0645\u0631\u062D\u0628\u0627', 'A'.repeat(1025),
];
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom('x', '\u20ac', '\u0000', '\u{1F600}'), fc.integer({ min: 200, max: 70_000 })).map(([c, n]) => c.repeat(n)), weight: 1 },
);
const RAW_NUMBERS = ['1e309', '-1e309', '-0', '1e-400', '123456789012345678901234567890', '0.1e1', '"NaN"', '"\\ud800"', '"\\u0000"'];
const deep = fc.integer({ min: 50, max: 10_000 }).map((n) => new Raw(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`));
const deepArray = fc.integer({ min: 50, max: 20_000 }).map((n) => new Raw(`${'['.repeat(n)}${']'.repeat(n)}`));
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.constantFrom(...RAW_NUMBERS).map((t) => new Raw(t)), weight: 2 },
  { arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 2 ** 53 + 1, 1.5, [], {}, ['a'], { $ne: null }, { $gt: '' }), weight: 2 },
  { arbitrary: fc.oneof(deep, deepArray), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 1 },
);

/** A value the schema allows (or nearly: lengths one past the limit), preferring dictionary words. */
export function fromSchema(schema: JsonSchema, dict: Dictionary, name = ''): fc.Arbitrary<Json> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, dict, name)));
  switch (schema.type) {
    case 'object': {
      const props = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, dict, k)]));
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, dict, name), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 }), fc.constantFrom((schema.minimum ?? 0) - 1, (schema.maximum ?? 0) + 1));
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const words = dict[name.toLowerCase()] ?? [];
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 256;
      const options: fc.Arbitrary<string>[] = [
        schema.format === 'uuid' ? fc.uuid() : printable(Math.min(max, 40)).filter((s) => s.length >= min),
        fc.constantFrom('a'.repeat(Math.max(min, 1)), 'b'.repeat(max), 'c'.repeat(max + 1)),
      ];
      // dictionary words (real ids, tokens, users) three times as often as everything else together
      return words.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...words), weight: 6 }, ...options.map((arbitrary) => ({ arbitrary, weight: 1 }))) : fc.oneof(...options);
    }
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

const BAD_JSON = ['{', '{"a":1,}', "{'a':1}", 'undefined', '\uFEFF{}', '{"a":"\\x00"}', '[1,2', '"\\', 'nul', '{"a" 1}', '{}}', '\u0000'];
const WRONG_TYPES = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json; charset=utf-16', 'image/png', ''];

function jsonBody(schema: JsonSchema, dict: Dictionary): fc.Arbitrary<{ text: string; type: string }> {
  const valid = fromSchema(schema, dict) as fc.Arbitrary<Record<string, Json>>;
  const names = [...Object.keys(schema.properties ?? {}), 'unexpected'];
  const json = (type = 'application/json') => (v: Json) => ({ text: toJson(v), type });
  return fc.oneof(
    { arbitrary: valid.map(json()), weight: 8 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...names), hostileValue).map(([v, k, h]) => json()({ ...v, [k]: h })), weight: 5 },
    { arbitrary: fc.oneof(hostileValue, valid.map((v) => [v] as Json)).map(json()), weight: 2 },
    {
      arbitrary: fc.tuple(valid, fc.constantFrom<[string, Json]>(['__proto__', { admin: true, roles: ['admin'] }], ['constructor', { prototype: { admin: true } }]))
        .map(([v, [k, p]]) => json()(Object.fromEntries([...Object.entries(v), [k, p]]))),
      weight: 1,
    },
    { arbitrary: fc.oneof(fc.constantFrom(...BAD_JSON), valid.chain((v) => fc.nat(toJson(v).length).map((n) => toJson(v).slice(0, n)))).map((text) => ({ text, type: 'application/json' })), weight: 2 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...WRONG_TYPES, 'APPLICATION/JSON', 'application/json; charset=utf-8')).map(([v, type]) => json(type)(v)), weight: 1 },
    { arbitrary: fc.integer({ min: 65_000, max: 80_000 }).map((n) => ({ text: `{"x":"${'y'.repeat(n)}"}`, type: 'application/json' })), weight: 1 },
  );
}

function formBody(schema: JsonSchema, dict: Dictionary): fc.Arbitrary<{ text: string; type: string }> {
  const valid = fromSchema(schema, dict) as fc.Arbitrary<Record<string, Json>>;
  const encode = (v: Record<string, Json>) =>
    Object.entries(v).flatMap(([k, x]) => (Array.isArray(x) ? x : [x]).map((y) => `${enc(k)}=${enc(typeof y === 'string' ? y : toJson(y))}`)).join('&');
  const form = 'application/x-www-form-urlencoded';
  const raw = ['a=%ZZ&b', '&&&', '=', 'grant_type=password&grant_type=client_credentials', '__proto__[admin]=1', 'token=%E0%A4%A', 'token[]=x&token[]=y'];
  return fc.oneof(
    { arbitrary: valid.map((v) => ({ text: encode(v), type: form })), weight: 5 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...Object.keys(schema.properties ?? {})), hostileString).map(([v, k, h]) => ({ text: encode({ ...v, [k]: h }), type: form })), weight: 4 },
    { arbitrary: fc.constantFrom(...raw).map((text) => ({ text, type: form })), weight: 1 },
    { arbitrary: jsonBody(schema, dict), weight: 2 },
  );
}

const RAW_SEGMENTS = ['%', '%ZZ', '%E0%A4%A', '..', '%2e%2e%2f%2e%2e', '%00', 'a%2Fb', 'x'.repeat(600), '%F0%9F%98%80', '%20'];
function pathValue(p: Param, dict: Dictionary): fc.Arbitrary<string> {
  const valid = fromSchema(p.schema, dict, p.name).map((v) => enc(typeof v === 'string' ? v : toJson(v)));
  return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: hostileString.map((s) => enc(s.slice(0, 700))), weight: 2 }, { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 });
}
const RAW_QUERY = ['limit=1e309', 'limit=-0', 'limit=NaN', 'limit=0x10', 'limit=1&limit=2', 'limit[]=1', 'query=%', '__proto__=1', 'constructor[prototype][admin]=1', 'userId=%00'];
function queryString(params: Param[], dict: Dictionary): fc.Arbitrary<string> {
  const one = (p: Param) =>
    fc.option(fc.oneof(fromSchema(p.schema, dict, p.name).map((v) => (typeof v === 'string' ? v : toJson(v))), hostileString.map((s) => s.slice(0, 300))).map((v) => `${p.name}=${enc(v)}`), { nil: '' });
  return fc.oneof(
    { arbitrary: fc.tuple(...params.map(one)).map((parts) => parts.filter(Boolean).join('&')), weight: 4 },
    { arbitrary: fc.constantFrom(...RAW_QUERY), weight: 1 },
  );
}

/** Credentials: the given real ones (valid tokens, keys) or junk, in every header form. */
export function credentialHeaders(valid: string[], junk: string[], rawAuthorization: string[] = ['Basic !!!']): fc.Arbitrary<Record<string, string>> {
  const token = fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 6 }, { arbitrary: fc.constantFrom(...junk), weight: 2 }, { arbitrary: printable(300), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 1 },
    { arbitrary: token.map((t): Record<string, string> => ({ authorization: `Bearer ${t}` })), weight: 8 },
    { arbitrary: token.map((t): Record<string, string> => ({ authorization: t })), weight: 1 },
    { arbitrary: token.map((t): Record<string, string> => ({ 'x-api-key': t })), weight: 1 },
    { arbitrary: fc.oneof(printable(60), token).map((t): Record<string, string> => ({ authorization: `Basic ${Buffer.from(t).toString('base64')}` })), weight: 1 },
    { arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic', 'ApiKey', 'Digest x', ...rawAuthorization).map((a): Record<string, string> => ({ authorization: a })), weight: 1 },
  );
}

/** Mostly absent, mostly valid: an invalid X-nugios-timezone alone makes a request a 400. */
const extraHeaders = fc.oneof(
  { arbitrary: fc.constant({}), weight: 6 },
  { arbitrary: fc.record({ 'x-nugios-timezone': fc.integer({ min: -720, max: 840 }).map(String), 'x-request-id': printable(80) }, { requiredKeys: [] }), weight: 3 },
  { arbitrary: fc.record({ 'x-nugios-timezone': fc.oneof(fc.constantFrom('841', '-721', '1.5', '+0', ' 60 ', '0x10'), printable(10)), 'x-forwarded-for': printable(40) }, { requiredKeys: [] }), weight: 1 },
);

/** One request to `op`: path and query from its parameters, a body from its schema, credentials. */
export function requestFor(op: Operation, dict: Dictionary, credentials: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const query = op.params.filter((p) => p.in === 'query');
  const path = fc.tuple(...pathParams.map((p) => pathValue(p, dict))).map((values) => pathParams.reduce((acc, p, i) => acc.replace(`{${p.name}}`, values[i]!), op.path));
  const qs = query.length > 0 ? queryString(query, dict) : fc.constant('');
  const noBody = fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.constant({ text: '', type: 'application/json' }), weight: 1 });
  const body = op.body ? (op.body.form ? formBody : jsonBody)(op.body.schema, dict).map((b) => b as { text: string; type: string } | undefined) : noBody;
  return fc.tuple(path, qs, body, credentials, extraHeaders).map(([p, q, b, creds, extra]) => ({
    method: op.method,
    url: q ? `${p}?${q}` : p,
    headers: { ...extra, ...creds, ...(b && b.type ? { 'content-type': b.type } : {}) },
    ...(b && op.method !== 'GET' ? { payload: b.text } : {}),
  }));
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
export function violation(url: string, res: Answer): string | undefined {
  if (res.status >= 500) return `${res.status}: ${res.body.slice(0, 300)}`;
  if (res.status < 400) return undefined;
  const type = String(res.headers['content-type'] ?? '');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    return `${res.status} with a body that is not JSON: ${res.body.slice(0, 200)}`;
  }
  if (body === null || typeof body !== 'object') return `${res.status} with a body that is not a JSON object: ${res.body.slice(0, 200)}`;
  if (/\bat .+\.(ts|js):\d+/.test(res.body) || 'stack' in body) return `${res.status} leaks a stack trace`;
  if (res.status === 401 && !res.headers['www-authenticate']) return '401 without WWW-Authenticate';
  if (url.startsWith('/oauth2/') && type.startsWith('application/json') && typeof body.error === 'string') return undefined;
  if (!type.startsWith('application/problem+json')) return `${res.status} with content-type ${type}`;
  if (body.status !== res.status || typeof body.title !== 'string' || typeof body.type !== 'string' || typeof body.detail !== 'string') {
    return `${res.status} problem without type/title/status/detail: ${res.body.slice(0, 200)}`;
  }
  return undefined;
}

import { parse as parseJsonAst, type ValueNode } from '@humanwhocodes/momoa';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import type { FieldError } from './problem.js';
import { decodeUtf8, fieldPath, hasLoneSurrogate } from './text-guards.js';

/** Deepest nesting of objects and arrays a JSON body may have; real request bodies are 1-3 levels deep. */
export const MAX_JSON_DEPTH = 32;

/**
 * A body that is not acceptable JSON input (bad bytes, bad syntax, duplicate or prototype keys,
 * too deep). The shared error handler renders it as a 400 problem, with the field when known.
 */
export class JsonBodyError extends Error {
  override readonly name = 'JsonBodyError';
  readonly statusCode = 400;
  readonly fieldError: FieldError | undefined;

  constructor(message: string, fieldError?: FieldError) {
    super(message);
    this.fieldError = fieldError;
  }
}

/** RFC 8259 section 8.1: JSON between systems is UTF-8; any other declared charset is refused. */
function declaresOtherCharset(contentType: string | undefined): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  return charset !== undefined && charset !== 'utf-8' && charset !== 'utf8';
}

interface Pending {
  node: unknown;
  depth: number;
  key?: string;
  parent?: Pending;
}

function pathOf(entry: Pending): string[] {
  const path: string[] = [];
  for (let at: Pending | undefined = entry; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}

/**
 * One walk over the parsed value, with an explicit stack so a deep body cannot overflow ours:
 * `too_deep` past `max` levels of objects and arrays, else the path of the first key or string
 * holding a lone surrogate (see {@link hasLoneSurrogate}), else the number of object members
 * the value holds (array indexes excluded).
 */
function inspect(value: unknown, max: number): 'too_deep' | string[] | number {
  let members = 0;
  const pending: Pending[] = [{ node: value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.node === 'string' && hasLoneSurrogate(next.node)) return pathOf(next);
    if (next.node === null || typeof next.node !== 'object') continue;
    if (next.depth > max) return 'too_deep';
    const entries = Object.entries(next.node);
    if (!Array.isArray(next.node)) members += entries.length;
    for (const [key, child] of entries) {
      if (hasLoneSurrogate(key)) return [...pathOf(next), key];
      pending.push({ node: child, depth: next.depth + 1, key, parent: next });
    }
  }
  return members;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isJsonSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * How many member names the text of a valid JSON document spells: the strings followed by a
 * colon. A scan, no syntax tree. When it exceeds the members of the parsed value, some object
 * has a key twice (JSON.parse keeps the last); only then is the syntax tree built, for the path.
 */
function spelledMembers(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text.charCodeAt(i) !== QUOTE) continue;
    for (i += 1; i < text.length && text.charCodeAt(i) !== QUOTE; i += 1) if (text.charCodeAt(i) === BACKSLASH) i += 1;
    let after = i + 1;
    while (after < text.length && isJsonSpace(text.charCodeAt(after))) after += 1;
    if (text.charCodeAt(after) === COLON) count += 1;
  }
  return count;
}

/** The path of the first key that appears twice in one object, found on the syntax tree. */
function duplicateKeyPath(node: ValueNode, path: readonly string[]): string[] | undefined {
  if (node.type === 'Object') {
    const seen = new Set<string>();
    for (const member of node.members) {
      const key = member.name.type === 'String' ? member.name.value : member.name.name;
      if (seen.has(key)) return [...path, key];
      seen.add(key);
      const found = duplicateKeyPath(member.value, [...path, key]);
      if (found) return found;
    }
  } else if (node.type === 'Array') {
    for (const [index, element] of node.elements.entries()) {
      const found = duplicateKeyPath(element.value, [...path, String(index)]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Turns a request body into a value, refusing what `JSON.parse` alone lets through:
 * invalid UTF-8 (instead of silently replacing it), `__proto__` / `constructor.prototype` keys
 * (secure-json-parse), nesting deeper than {@link MAX_JSON_DEPTH}, duplicate keys
 * (RFC 8259 leaves their meaning open, RFC 7493 forbids them; counted by a scan of the text, and
 * located on momoa's syntax tree only when there is one), and
 * unpaired surrogate escapes such as `"\ud800"` in any key or string (RFC 8259 section 8.2 leaves
 * them unpredictable; stored, they become U+FFFD), so no two components can read one body
 * differently. An escaped `\ufffd` or a paired `\ud83d\ude00` is an ordinary character.
 */
export function parseJsonBody(bytes: Buffer, contentType?: string): unknown {
  if (declaresOtherCharset(contentType)) throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(contentType);
  if (bytes.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new JsonBodyError('the body is not valid UTF-8');
  let value: unknown;
  try {
    value = secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const forbidden = error instanceof SyntaxError && /forbidden prototype/.test(error.message);
    throw new JsonBodyError(forbidden ? 'the body must not contain __proto__ or constructor.prototype keys' : 'the body is not valid JSON');
  }
  const tooDeep = `the body is nested deeper than ${MAX_JSON_DEPTH} levels`;
  const found = inspect(value, MAX_JSON_DEPTH);
  if (found === 'too_deep') throw new JsonBodyError(tooDeep);
  if (typeof found !== 'number') {
    const field = fieldPath(found) || 'body';
    throw new JsonBodyError(`${field} holds an unpaired UTF-16 surrogate escape (such as \\ud800)`, { field, message: 'holds an unpaired surrogate' });
  }
  // The happy path ends here: every member the text spells is in the value, so no key repeats.
  if (spelledMembers(text) === found) return value;
  let duplicate: string[] | undefined;
  try {
    duplicate = duplicateKeyPath(parseJsonAst(text, { mode: 'json' }).body, []);
  } catch (error) {
    // Only a deep value hidden under a duplicate key gets here: the parser recurses per level.
    if (error instanceof RangeError) throw new JsonBodyError(tooDeep);
    throw new JsonBodyError('the body is not valid JSON');
  }
  if (duplicate) {
    const field = fieldPath(duplicate);
    throw new JsonBodyError(`the body has the key ${JSON.stringify(field)} more than once`, { field, message: 'appears more than once' });
  }
  return value;
}

/**
 * Replaces Fastify's JSON and text parsers with {@link parseJsonBody}. Any other content type
 * stays a 415; a surface that takes forms registers its own parser inside its plugin.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) =>
    parseJsonBody(body, request.headers['content-type']),
  );
}

/**
 * The JSON body parser finds a repeated key by comparing the members the text spells with the
 * members of the parsed value, and builds a syntax tree only when they differ: every way of
 * spelling a key twice is still refused, and nothing that merely looks like a key is.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { JsonBodyError, parseJsonBody } from '../../src/http/shared/json-body-parser.js';

const parse = (text: string) => parseJsonBody(Buffer.from(text, 'utf8'), 'application/json');

it('refuses a key spelled twice, however it hides', () => {
  for (const text of [
    '{"a":1,"a":2}',
    '{"a":1,"\\u0061":2}',
    '{"x":{"b":[{"c":1,"c" :2}]}}',
    '[{"k":"v"},{"k":"v","k":"w"}]',
    '{"s":"\\"a\\":1","t":{"q":1,"q":1}}',
    '{ "a" \n : 1 , "a"\t:\r2 }',
  ]) {
    expect(() => parse(text), text).toThrow(JsonBodyError);
    expect(() => parse(text), text).toThrow(/more than once/);
  }
});

it('accepts what only looks like a repeated key', () => {
  for (const text of ['{"a":"\\"a\\":","b":"a:"}', '{"a":{"a":{"a":1}}}', '["a","a",{"a":":"}]', '{"\\\\":1,"\\\\\\\\":2}', '"x"']) {
    expect(parse(text), text).toEqual(JSON.parse(text));
  }
});

it('agrees with JSON.parse on every generated body without repeated keys, and refuses every one with', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      const text = JSON.stringify(value);
      fc.pre(!/__proto__|constructor|prototype/.test(text)); // refused for another reason
      expect(parse(text)).toEqual(JSON.parse(text));
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
        const key = Object.keys(value)[0]!;
        const twice = `{${JSON.stringify(key)}:0,${text.slice(1)}`;
        expect(() => parse(twice)).toThrow(/more than once/);
      }
    }),
    { numRuns: 300 },
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayName, nameParts } from '../../src/core/users/display-name.js';

const user = (name: string | null, username = 'j.doe') => ({ name, username });

/** Letters of many scripts, combining marks and astral characters: what names are made of. */
const LETTERS = ['a', 'Z', 'é', 'ß', 'Ł', 'ø', 'ñ', 'Ж', 'λ', '山', '田', 'ア', '한', 'ع', 'א', '\u0301', '😀', "'", '-', '.'];
const letter = fc.constantFrom(...LETTERS);
const word = fc.array(letter, { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''));
/** Runs of whitespace as an import or a form can leave them: spaces, tabs, line breaks, U+3000, NBSP. */
const gap = fc.array(fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u3000', '\u00A0'), { minLength: 1, maxLength: 3 }).map((s) => s.join(''));
/** Words joined by whitespace runs, maybe with whitespace around them. */
const phrase = fc
  .tuple(fc.array(fc.tuple(word, gap), { minLength: 1, maxLength: 4 }), fc.option(gap), fc.option(gap))
  .map(([pairs, before, after]) => `${before ?? ''}${pairs.map(([w, g], i) => (i === pairs.length - 1 ? w : w + g)).join('')}${after ?? ''}`);
const collapsed = (text: string) => text.split(/\s+/u).filter(Boolean).join(' ');
/** The characters of a text other than whitespace and commas, in order-free form. */
const letters = (text: string) => [...text.replace(/[\s,]/gu, '')].sort().join('');

describe('displayName', () => {
  it('is the username for a missing, empty or blank name', () => {
    for (const name of [null, '', '   ', '\t\n', '\u3000']) expect(displayName(user(name, 'carol'))).toBe('carol');
  });

  it('collapses whitespace runs and trims, and keeps every other character', () => {
    expect(displayName(user('  Mary   Ann\tvan\nDyke  '))).toBe('Mary Ann van Dyke');
    expect(displayName(user('山田\u3000太郎'))).toBe('山田 太郎');
    expect(displayName(user('José  Álvarez'))).toBe('José Álvarez');
  });

  it('is always a non-empty trimmed string without whitespace runs (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(phrase, gap, fc.string())), word, (name, username) => {
        const shown = displayName(user(name, username));
        expect(typeof shown).toBe('string');
        expect(shown.length).toBeGreaterThan(0);
        expect(shown).toBe(collapsed(shown));
        expect(shown).toBe(collapsed(name ?? '') || username);
      }),
    );
  });
});

describe('nameParts (seed 001 Firstname / Lastname)', () => {
  const cases: [string | null, string, string][] = [
    [null, 'j.doe', ''],
    ['', 'j.doe', ''],
    ['Cher', 'Cher', ''],
    ['John Doe', 'John', 'Doe'],
    ['Mary Ann van Dyke', 'Mary', 'Ann van Dyke'],
    ['Smith, Carol', 'Carol', 'Smith'],
    ['Smith,Carol', 'Carol', 'Smith'],
    ['  Smith ,   Carol  Ann ', 'Carol Ann', 'Smith'],
    ['van Dyke, Mary Ann', 'Mary Ann', 'van Dyke'],
    ['Carol Smith, Jr.', 'Carol', 'Smith, Jr.'],
    ['Martin Luther King, JR', 'Martin', 'Luther King, JR'],
    ['Smith,', 'Smith', ''],
    [', Carol', 'Carol', ''],
    ['Carol  \t Smith', 'Carol', 'Smith'],
    ['山田\u3000太郎', '山田', '太郎'],
    ['Łukasz Żółć', 'Łukasz', 'Żółć'],
    ['Ålvarez, José', 'José', 'Ålvarez'],
    ['Renée 😀', 'Renée', '😀'],
  ];
  for (const [name, first, last] of cases) {
    it(`${JSON.stringify(name)} -> ${JSON.stringify(first)} / ${JSON.stringify(last)}`, () => {
      expect(nameParts(user(name))).toEqual({ first: name === null || name === '' ? 'j.doe' : first, last });
    });
  }

  it('"Smith, Carol" never gives a first name with a comma', () => {
    expect(nameParts(user('Smith, Carol')).first).not.toContain(',');
  });

  it('first is never empty, both are trimmed strings, and no letter is lost or added (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(phrase, fc.tuple(phrase, phrase).map(([l, f]) => `${l},${f}`), fc.string())), word, (name, username) => {
        const { first, last } = nameParts(user(name, username));
        expect(typeof first).toBe('string');
        expect(typeof last).toBe('string');
        expect(first.length).toBeGreaterThan(0);
        expect(first).toBe(first.trim());
        expect(last).toBe(last.trim());
        expect(letters(first + last)).toBe(letters(displayName(user(name, username))));
      }),
    );
  });

  it('a name without a comma is its first word and the rest (property)', () => {
    fc.assert(
      fc.property(phrase, (name) => {
        const { first, last } = nameParts(user(name));
        expect([first, last].filter(Boolean).join(' ')).toBe(collapsed(name));
        expect(first).not.toMatch(/\s/u);
      }),
    );
  });

  it('"Last, First" puts the part after the comma first (property)', () => {
    fc.assert(
      fc.property(phrase, phrase, (last, first) => {
        expect(nameParts(user(`${last}, ${first}`))).toEqual({ first: collapsed(first), last: collapsed(last) });
      }),
    );
  });
});

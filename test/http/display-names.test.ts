import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Seed 002 types the profile `name` as a string and seed 001 its `Firstname`/`Lastname`: a strict
 * client breaks on null. Both surfaces render one core rule (core/users/display-name.ts): the
 * name, else the username; seed 001 splits that shown name ("Last, First", else first word and rest).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

let serial = 0;
/** Registers a user with this name (or none) and answers the profile name and the seed 001 parts. */
async function rendered(name: string | undefined) {
  const username = `name-user-${++serial}`;
  const { access_token } = await registerUser(t, username, STRONG_PASSWORD, name === undefined ? {} : { name });
  const profile = await t.request('GET', '/v1/user/profile', { token: access_token });
  expect(profile.statusCode, profile.body).toBe(200);
  const login = await t.request('POST', '/user/login', { body: { username, password: STRONG_PASSWORD } });
  expect(login.statusCode, login.body).toBe(200);
  const seed001 = login.json<{ Firstname: unknown; Lastname: unknown }>();
  return { username, name: profile.json<{ name: unknown }>().name, first: seed001.Firstname, last: seed001.Lastname };
}

describe('names on the seed surfaces', () => {
  const CASES: { name: string | undefined; shown: string | null; first: string | null; last: string }[] = [
    { name: undefined, shown: null, first: null, last: '' },
    { name: '', shown: null, first: null, last: '' },
    { name: '   ', shown: null, first: null, last: '' },
    { name: 'Cher', shown: 'Cher', first: 'Cher', last: '' },
    { name: 'John Doe', shown: 'John Doe', first: 'John', last: 'Doe' },
    { name: 'Smith, Carol', shown: 'Smith, Carol', first: 'Carol', last: 'Smith' },
    { name: 'van Dyke, Mary Ann', shown: 'van Dyke, Mary Ann', first: 'Mary Ann', last: 'van Dyke' },
    { name: 'Carol Smith, Jr.', shown: 'Carol Smith, Jr.', first: 'Carol', last: 'Smith, Jr.' },
    { name: '  Mary   Ann \t van\nDyke ', shown: 'Mary Ann van Dyke', first: 'Mary', last: 'Ann van Dyke' },
    { name: '山田\u3000太郎', shown: '山田 太郎', first: '山田', last: '太郎' },
    { name: 'Łukasz Żółć', shown: 'Łukasz Żółć', first: 'Łukasz', last: 'Żółć' },
    { name: 'Ｊｏｓé Álvarez', shown: 'José Álvarez', first: 'José', last: 'Álvarez' },
  ];
  for (const c of CASES) {
    it(`${JSON.stringify(c.name)}: profile name ${JSON.stringify(c.shown ?? '<username>')}, Firstname ${JSON.stringify(c.first ?? '<username>')}, Lastname ${JSON.stringify(c.last)}`, async () => {
      const got = await rendered(c.name);
      expect(got.name).toBe(c.shown ?? got.username);
      expect(got.first).toBe(c.first ?? got.username);
      expect(got.last).toBe(c.last);
    });
  }

  it('are strings on both surfaces for any name a client can register (property)', async () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ一-龥'.-]{1,10}$/u);
    const gap = fc.constantFrom(' ', '  ', '\t', '\n', '\u3000', ', ', ',');
    const name = fc.option(fc.array(fc.tuple(word, gap), { minLength: 1, maxLength: 4 }).map((ps) => ps.map(([w, g]) => w + g).join('')), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(name, async (raw) => {
        const got = await rendered(raw);
        expect(typeof got.name).toBe('string');
        expect((got.name as string).length).toBeGreaterThan(0);
        expect(typeof got.first).toBe('string');
        expect((got.first as string).length).toBeGreaterThan(0);
        expect(typeof got.last).toBe('string');
      }),
      { numRuns: 20 },
    );
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildUser, draftUser, externalUsername, hasPassword, isPlainText, NO_PASSWORD } from '../../src/core/users/new-user.js';

const ISSUER_ID = '3f0c2a9e-7b1d-4c5e-9a8f-0123456789ab';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the user factory (core/users/new-user.ts)', () => {
  it('normalizes like registration always did: NFKC, trim, case-folded key, email from the username', () => {
    const draft = draftUser({ username: ' \uFF21lice@Example.com ', name: '  Alice  ', roles: ['staff', 'staff'] });
    expect(draft).toEqual({
      username: 'Alice@Example.com',
      usernameKey: 'alice@example.com',
      email: 'alice@example.com',
      name: 'Alice',
      locale: null,
      roles: ['staff'],
      termsAccepted: false,
    });
  });

  it('refuses the reserved prefix, bad roles and names with control characters, naming the field', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code: string; field?: string }).code === 'invalid_input' ? (error as { field?: string }).field : 'other';
      }
      return 'accepted';
    };
    expect(field(() => draftUser({ username: 'ext:someone' }))).toBe('username');
    expect(field(() => draftUser({ username: '\uFF45\uFF58\uFF54:someone' }))).toBe('username');
    expect(field(() => draftUser({ username: 'ok', roles: ['Admin'] }))).toBe('roles');
    expect(field(() => draftUser({ username: 'ok', name: 'a\u0000b' }))).toBe('name');
    expect(field(() => draftUser({ username: 'ok', name: 'x'.repeat(201) }))).toBe('name');
    expect(field(() => draftUser({ username: 'ok', name: 'two\nlines' }))).toBe('accepted');
    expect(field(() => draftUser({ username: 'ok', email: 'not-an-email' }))).toBe('email');
  });

  it('keeps an external identity exact (no trim, NFKC or case folding) and only with the option', () => {
    for (const sub of ['Bob', 'bob', ' bob', '\uFF42\uFF4F\uFF42']) {
      const username = externalUsername(ISSUER_ID, sub);
      expect(draftUser({ username }, { external: true })).toMatchObject({ username, usernameKey: username, email: null });
    }
    expect(() => draftUser({ username: 'not-external' }, { external: true })).toThrow();
    expect(() => draftUser({ username: externalUsername(ISSUER_ID, 'a\u0000b') }, { external: true })).toThrow();
    expect(externalUsername(ISSUER_ID, 's'.repeat(255)).length).toBeGreaterThan(254); // longer than a typed username may be
    expect(() => draftUser({ username: externalUsername(ISSUER_ID, 's'.repeat(255)) }, { external: true })).not.toThrow();
  });

  it('builds the record; a user without a password has a hash that is none', () => {
    const user = buildUser(draftUser({ username: externalUsername(ISSUER_ID, 'x') }, { external: true }), { hash: NO_PASSWORD, expiresAt: null }, 1000);
    expect(user).toMatchObject({ passwordHash: NO_PASSWORD, passwordChangedAt: 1000, createdAt: 1000, updatedAt: 1000, locked: false, emailVerified: false });
    expect(hasPassword(user)).toBe(false);
    expect(hasPassword({ passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' })).toBe(true);
  });

  it('isPlainText refuses NUL, controls, lone surrogates, empty and too long; keeps emoji', () => {
    for (const bad of ['', 'a\u0000', 'a\u0085', 'a\ud800', 'a\udfffb', 'x'.repeat(11), 5, null]) expect(isPlainText(bad, 10), JSON.stringify(bad)).toBe(false);
    for (const good of ['a', 'Bob', '\u{1F600}', 'x'.repeat(10)]) expect(isPlainText(good, 10), good).toBe(true);
  });

  it('is the only place outside storage that builds a user record, and the importer writes no rows itself', () => {
    const root = join(import.meta.dirname, '../../src');
    // a user literal names both; a type declaration (*.types.ts) or a row mapping (storage) may too
    const literal = (text: string) => /\busernameKey\s*:/.test(text) && /\btermsAccepted\s*:/.test(text);
    const builders = sourceFiles(root).filter((f) => !f.includes('/storage/') && !f.endsWith('.types.ts') && literal(readFileSync(f, 'utf8')));
    expect(builders.map((f) => relative(root, f))).toEqual(['core/users/new-user.ts']);
    for (const f of sourceFiles(join(root, 'cli/import'))) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\.store\b|\.insert\(/);
  });
});

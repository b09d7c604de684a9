import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeUsername, tryNormalizeUsername } from '../../src/core/users/username.js';
import { createTestCore, type TestCore } from '../support/test-core.js';

const invalidUsername = { name: 'AuthError', code: 'invalid_input', field: 'username' };

describe('usernames', () => {
  it('are trimmed and NFKC-normalized for display, case-folded for the key', () => {
    expect(normalizeUsername('  Alice  ')).toEqual({ display: 'Alice', key: 'alice' });
    expect(normalizeUsername('Ａｌｉｃｅ')).toEqual({ display: 'Alice', key: 'alice' });
    expect(normalizeUsername('\u3000Bob\u3000')).toEqual({ display: 'Bob', key: 'bob' });
    expect(normalizeUsername('ÉLODIE').key).toBe(normalizeUsername('élodie').key);
    expect(normalizeUsername('E\u0301lodie').key).toBe(normalizeUsername('élodie').key);
    expect(normalizeUsername('ＡＬＩＣＥ').key).toBe(normalizeUsername('alice').key);
    expect(normalizeUsername('ﬁnn').display).toBe('finn');
  });

  it('reject zero-width, control, format and NUL characters anywhere inside', () => {
    const zeroWidth = ['ali\u200Bce', '\u200Balice', 'alice\u200B', 'al\u200Dice', 'ali\u00ADce'];
    const control = ['ali\u0000ce', 'ali\u0007ce', 'ali\nce', 'ali\tce', 'ali\u202Ece', 'ali\u2028ce'];
    for (const raw of [...zeroWidth, ...control]) {
      expect(() => normalizeUsername(raw), JSON.stringify(raw)).toThrow(expect.objectContaining(invalidUsername));
      expect(tryNormalizeUsername(raw)).toBeUndefined();
    }
  });

  it('reject empty, blank and over-long names', () => {
    for (const raw of ['', '   ', '\u3000']) expect(() => normalizeUsername(raw)).toThrow(expect.objectContaining(invalidUsername));
    expect(normalizeUsername('a'.repeat(254)).display).toHaveLength(254);
    expect(() => normalizeUsername('a'.repeat(255))).toThrow(expect.objectContaining(invalidUsername));
  });

  it('emails are trimmed, NFKC-normalized and lower-cased; invalid ones are rejected', () => {
    expect(normalizeEmail('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(normalizeEmail('ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('alice@example.com');
    for (const raw of ['not-an-email', 'a@b', 'a b@example.com', 'ali\u200Bce@example.com', '@example.com']) {
      expect(() => normalizeEmail(raw), raw).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'email' }));
    }
  });
});

describe('usernames through registration and login', () => {
  let t: TestCore;

  beforeAll(async () => {
    t = await createTestCore();
  });

  afterAll(async () => {
    await t.close();
  });

  it('stores the display form and the key', async () => {
    const user = await t.register('  Ｃａｒｏｌ ');
    expect(user.username).toBe('Carol');
    expect(user.usernameKey).toBe('carol');
    expect(await t.store.users.findByUsernameKey('carol')).toMatchObject({ id: user.id, username: 'Carol' });
  });

  it('treats another case or width of a taken name as taken', async () => {
    await t.register('Dave');
    for (const name of ['dave', 'DAVE', ' Ｄａｖｅ ']) {
      await expect(t.register(name)).rejects.toMatchObject({ code: 'username_taken' });
    }
  });

  it('logs in with any case or width of the name', async () => {
    const user = await t.register('Erin');
    for (const name of ['erin', 'ERIN', 'Ｅｒｉｎ', '  erin ']) {
      await expect(t.core.credentials.verify(name, 'correct horse battery staple', {})).resolves.toMatchObject({ user: { id: user.id } });
    }
  });

  it('refuses to register a name with a zero-width character', async () => {
    await expect(t.register('fr\u200Bank')).rejects.toMatchObject(invalidUsername);
  });

  it('uses an email-shaped username as the email, normalized, when no email is given', async () => {
    const user = await t.register('  Grace@Example.ORG ');
    expect(user.email).toBe('grace@example.org');
    expect(await t.store.users.findByEmail('grace@example.org')).toMatchObject({ id: user.id });
  });

  it('normalizes a given email and refuses one that is taken in another case', async () => {
    const user = await t.register('heidi', { email: ' Heidi@Example.NET' });
    expect(user.email).toBe('heidi@example.net');
    await expect(t.register('heidi2', { email: 'HEIDI@example.net' })).rejects.toMatchObject({ code: 'email_taken' });
  });
});

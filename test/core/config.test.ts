import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../src/config/config-table.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

describe('configuration', () => {
  it('has defaults for a fresh start', () => {
    const { config } = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.DATABASE_URL).toBe('sqlite:./data/tessera.db');
    expect(config.PUBLIC_URL).toBe('http://localhost:8080');
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.WORKERS).toBe(1);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', 'abc', /^PORT: expected a whole number from 0 to 65535/],
    ['PORT', '70000', /^PORT: /],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL: expected sqlite:<path> or postgres:/],
    ['PUBLIC_URL', 'ftp://x', /^PUBLIC_URL: expected an http/],
    ['SMTP_URL', 'localhost:25', /^SMTP_URL: /],
    ['TESSERA_BOOTSTRAP_ADMIN', 'admin', /^TESSERA_BOOTSTRAP_ADMIN: expected username:password/],
    ['JWT_ALGORITHM', 'HS256', /^JWT_ALGORITHM: expected one of RS256, ES256, EdDSA/],
    ['PASSWORD_MIN_LENGTH', '4', /^PASSWORD_MIN_LENGTH: /],
  ])('rejects %s=%s with one line naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never repeats the value of a variable that may hold credentials', () => {
    expect(() => loadConfig({ SMTP_URL: 'user:s3cret-pass@mail' })).toThrow(ConfigError);
    try {
      loadConfig({ SMTP_URL: 'user:s3cret-pass@mail' });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret-pass');
    }
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('(got "abc")');
  });

  it('warns about unsafe choices', () => {
    const { warnings } = loadConfig({ ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1', PUBLIC_URL: 'http://auth.example.com' });
    expect(warnings.join('\n')).toMatch(/OWASP/);
    expect(warnings.join('\n')).toMatch(/plain http/);
  });

  it('is documented: docs/configuration.md holds the generated table', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toContain(configTable());
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../src/config/config-table.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { configSchema } from '../../src/config/schema.js';

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

  describe('PUBLIC_URL (the issuer) follows the address the server listens on unless it is set', () => {
    it.each([
      [{ PORT: '18080' }, 'http://localhost:18080'],
      [{ PORT: '18080', HOST: '0.0.0.0' }, 'http://localhost:18080'],
      [{ PORT: '18080', HOST: '::' }, 'http://localhost:18080'],
      [{ PORT: '18080', HOST: '127.0.0.1' }, 'http://127.0.0.1:18080'],
      [{ PORT: '18080', HOST: '::1' }, 'http://[::1]:18080'],
      [{ HOST: 'auth.internal' }, 'http://auth.internal:8080'],
      [{ PORT: '18080', PUBLIC_URL: 'https://auth.example/' }, 'https://auth.example'],
    ])('%j -> %s', (env, expected) => {
      expect(loadConfig(env).config.PUBLIC_URL).toBe(expected);
    });

    it('PORT=0 (a port chosen at listen time) needs PUBLIC_URL: one line naming it', () => {
      expect(() => loadConfig({ PORT: '0' })).toThrow(ConfigError);
      expect(() => loadConfig({ PORT: '0' })).toThrow(/^PUBLIC_URL: must be set when PORT=0/);
      expect(loadConfig({ PORT: '0', PUBLIC_URL: 'http://localhost:9000' }).config.PUBLIC_URL).toBe('http://localhost:9000');
    });

    it('a HOST that makes no URL stops start-up naming PUBLIC_URL, not with a crash', () => {
      expect(() => loadConfig({ HOST: 'not a host' })).toThrow(/^PUBLIC_URL: expected an http:\/\/ or https:\/\/ URL in its default; set it/);
    });
  });

  describe('an empty or whitespace-only variable counts as unset, for every variable', () => {
    const defaults = loadConfig({}).config;
    it.each(Object.keys(configSchema).flatMap((name) => [[name, ''], [name, '   '], [name, '\t\n']]))('%s=%j', (name, value) => {
      expect(loadConfig({ [name]: value }).config).toEqual(defaults);
    });

    it('PUBLIC_URL= with PORT set still follows the port (the crash of an empty PUBLIC_URL)', () => {
      const { config, warnings } = loadConfig({ PUBLIC_URL: '', PORT: '18080' });
      expect(config.PUBLIC_URL).toBe('http://localhost:18080');
      expect(warnings).toEqual([]);
    });
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

import { configSchema, type Config, type DerivedDefault } from './schema.js';

/** A configuration value that is not acceptable; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Variables whose values may hold credentials: an error names them but never repeats the value. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'TESSERA_BOOTSTRAP_ADMIN', 'API_KEY_ENCRYPTION_KEY', 'KEY_ENCRYPTION_KEY']);

function shown(name: string, raw: string): string {
  if (SECRET_VARIABLES.has(name)) return '';
  return ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}...` : raw)})`;
}

/**
 * The one rule for every variable: empty or only whitespace counts as unset, so `PUBLIC_URL=` in a
 * shell or a blank line in an env file means "use the default", never a value to parse.
 */
export function rawValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/**
 * Reads, validates and freezes the configuration. Defaults derived from other variables
 * (PUBLIC_URL from PORT and HOST) are computed once those are parsed. Unsafe choices are
 * returned as warnings for the caller to log.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): { config: Config; warnings: string[] } {
  const values: Record<string, unknown> = {};
  const entries = Object.entries(configSchema) as Array<[string, { parse: (raw: string) => unknown; default: string | DerivedDefault | undefined }]>;
  const parse = (name: string, parser: (raw: string) => unknown, raw: string, origin: string) => {
    try {
      values[name] = parser(raw);
    } catch (error) {
      throw new ConfigError(`${name}: ${(error as Error).message}${origin}${shown(name, raw)}`);
    }
  };
  const derived = entries.filter(([, spec]) => typeof spec.default === 'object');
  for (const [name, spec] of entries) {
    if (typeof spec.default === 'object') continue;
    const raw = rawValue(env, name) ?? spec.default;
    if (raw === undefined) values[name] = undefined;
    else parse(name, spec.parse, raw, '');
  }
  for (const [name, spec] of derived) {
    const given = rawValue(env, name);
    if (given !== undefined) {
      parse(name, spec.parse, given, '');
      continue;
    }
    let raw: string;
    try {
      raw = (spec.default as DerivedDefault).from(values);
    } catch (error) {
      throw new ConfigError(`${name}: ${(error as Error).message}`);
    }
    parse(name, spec.parse, raw, ' in its default; set it');
  }
  const config = Object.freeze(values) as Config;
  checkRelations(config);
  return { config, warnings: warningsFor(config) };
}

/** Rules between variables: each alone may be fine while the pair makes no sense. */
function checkRelations(config: Config): void {
  if (config.REFRESH_ABSOLUTE_TTL < config.REFRESH_TOKEN_TTL) {
    throw new ConfigError(`REFRESH_ABSOLUTE_TTL: must be at least REFRESH_TOKEN_TTL (${config.REFRESH_TOKEN_TTL})`);
  }
  if (config.BROWSER_SESSION_TTL < config.BROWSER_SESSION_IDLE_TTL) {
    throw new ConfigError(`BROWSER_SESSION_TTL: must be at least BROWSER_SESSION_IDLE_TTL (${config.BROWSER_SESSION_IDLE_TTL})`);
  }
  if (config.HEADERS_TIMEOUT > config.REQUEST_TIMEOUT) {
    throw new ConfigError(`HEADERS_TIMEOUT: must be at most REQUEST_TIMEOUT (${config.REQUEST_TIMEOUT})`);
  }
}

function warningsFor(config: Config): string[] {
  const warnings: string[] = [];
  if (config.ARGON2_MEMORY_KIB < 19_456 && config.ARGON2_MEMORY_KIB * config.ARGON2_TIME_COST < 37_000) {
    warnings.push('ARGON2_MEMORY_KIB/ARGON2_TIME_COST are below the OWASP minimum (m=19456 KiB, t=2)');
  }
  if (config.TRUST_PROXY === true) warnings.push('TRUST_PROXY=true believes X-Forwarded-For from anyone: name your proxies instead');
  if (config.PUBLIC_URL.startsWith('http://') && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(config.PUBLIC_URL)) {
    warnings.push('PUBLIC_URL is plain http on a non-local host: tokens and reset links travel unencrypted');
  }
  return warnings;
}

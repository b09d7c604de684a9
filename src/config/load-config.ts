import { configSchema, type Config } from './schema.js';

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
 * Reads, validates and freezes the configuration. An empty variable counts as unset. Unsafe
 * choices are returned as warnings for the caller to log.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): { config: Config; warnings: string[] } {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(configSchema)) {
    const raw = env[name] === '' ? undefined : (env[name] ?? spec.default);
    if (raw === undefined) {
      values[name] = undefined;
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      throw new ConfigError(`${name}: ${(error as Error).message}${shown(name, raw)}`);
    }
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
}

function warningsFor(config: Config): string[] {
  const warnings: string[] = [];
  if (config.ARGON2_MEMORY_KIB < 19_456 && config.ARGON2_MEMORY_KIB * config.ARGON2_TIME_COST < 37_000) {
    warnings.push('ARGON2_MEMORY_KIB/ARGON2_TIME_COST are below the OWASP minimum (m=19456 KiB, t=2)');
  }
  if (config.TRUST_PROXY === true) warnings.push('TRUST_PROXY=true believes X-Forwarded-For from anyone: name your proxies instead');
  if (config.REDIS_URL) warnings.push('REDIS_URL is set but not used yet: counters stay in this process');
  if (config.PUBLIC_URL.startsWith('http://') && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(config.PUBLIC_URL)) {
    warnings.push('PUBLIC_URL is plain http on a non-local host: tokens and reset links travel unencrypted');
  }
  return warnings;
}

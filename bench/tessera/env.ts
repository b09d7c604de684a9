/** The server's settings in every bench run: the defaults, except the brute-force throttle opened wide. */
import { options, type Algorithm } from '../options.js';
import { ADMIN } from './fixtures.js';

export function serverEnv(algorithm: Algorithm): Record<string, string> {
  return {
    LOG_LEVEL: options.logLevel,
    JWT_ALGORITHM: algorithm,
    // Throughput, not the throttle: a rotation of users from one IP would otherwise meet it.
    LOGIN_FREE_ATTEMPTS: '1000',
    LOGIN_IP_FREE_ATTEMPTS: '100000',
    REGISTER_RATE_PER_IP: '0',
    TESSERA_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
    ARGON2_MEMORY_KIB: String(options.argon2.memoryKib),
    ARGON2_TIME_COST: String(options.argon2.timeCost),
    ARGON2_PARALLELISM: String(options.argon2.parallelism),
    ...options.serverEnv,
  };
}

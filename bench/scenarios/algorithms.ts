/**
 * JWT_ALGORITHM on refresh: RS256 vs ES256 vs EdDSA, each on a fresh SQLite database (the signing
 * key is made at first start with the configured algorithm), WORKERS=1, each against the sign
 * bound of its own algorithm.
 */
import type { Row } from '../interleave.js';
import { options, type Algorithm } from '../options.js';
import { prepareDatabase } from '../tessera/database.js';
import { serverEnv } from '../tessera/env.js';
import { runConfig } from './tessera-config.js';

export async function runAlgorithms(algorithms: Algorithm[], onRow: (row: Row) => void): Promise<void> {
  for (const algorithm of algorithms) {
    const database = await prepareDatabase('sqlite', options.users[0]!, serverEnv(algorithm));
    try {
      await runConfig(database, 1, algorithm, ['refresh'], onRow, 'algorithm comparison');
    } finally {
      await database.remove();
    }
  }
}

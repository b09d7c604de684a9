import { afterAll } from 'vitest';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { openDatabase, parseDatabaseUrl } from '../../src/storage/open-database.js';
import { tempDir } from '../support/temp-dir.js';
import { runStoreContract } from './store.contract.js';

/** SQLite always runs: each case gets its own database file in this run's temp folder. */
const dir = tempDir('tessera-contract-sqlite-');
let counter = 0;

afterAll(() => dir.remove());

runStoreContract('sqlite', async () => {
  counter += 1;
  const { db } = await openDatabase(parseDatabaseUrl(`sqlite:${dir.path}/case-${counter}.db`));
  const store = createKyselyStore(db);
  return { store, cleanup: () => store.close() };
});

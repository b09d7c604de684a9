/**
 * With WORKERS > 1, what must happen once before any worker serves: the migrations, the first
 * signing key and the bootstrap admin, so the workers never race on them. Run in a child process
 * of its own (see primary.ts), so the primary never loads the application.
 */
import { createApp } from '../app.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../infra/logger.js';
import { openDatabase, parseDatabaseUrl } from '../storage/open-database.js';

export async function setUpOnce(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL);
  const { db, applied } = await openDatabase(parseDatabaseUrl(config.DATABASE_URL), { poolSize: 1 });
  await db.destroy();
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  await (await createApp(config, { logger })).close();
}

/** `tessera migrate`: bring the database schema up to date and say what changed. */
import type { Command } from 'commander';
import type { CliRun } from './cli-context.js';

export function addMigrateCommand(program: Command, cli: CliRun): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server and every other command also do this on start)')
    .action(async () => {
      const config = cli.config();
      const { openDatabase, parseDatabaseUrl } = await import('../storage/open-database.js');
      // Only the storage: building the whole app would migrate too, but would not say what it applied.
      const { db, applied } = await openDatabase(parseDatabaseUrl(config.DATABASE_URL), { poolSize: 1 });
      await db.destroy();
      if (applied.length === 0) {
        cli.out.line('nothing to do: the schema is up to date');
        return;
      }
      for (const name of applied) cli.out.line(`applied ${name}`);
    });
}

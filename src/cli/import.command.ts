/** `tessera import <file>`: users with password hashes from another system, from JSON or CSV. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, type CliRun } from './cli-context.js';
import { importUsers } from './import/import-users.js';
import { importFormat, readImportRows } from './import/read-rows.js';

/** Exit code when some rows were imported and others skipped (1 = nothing could be done). */
export const EXIT_PARTIAL = 2;

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
}

export function addImportCommand(program: Command, cli: CliRun): void {
  program
    .command('import')
    .description('import users with password hashes from another system (bcrypt, argon2, scrypt, pbkdf2-sha256); each is rehashed to argon2id at first login')
    .argument('<file>', 'a JSON array of users, or CSV with the header username,email,name,roles,password_hash')
    .option('--format <format>', 'json or csv (default: from the file name)')
    .option('--strict', 'import nothing if any row is invalid')
    .addHelpText(
      'after',
      '\nRoles are a JSON array, or separated by ";" in CSV. Rows that fail are reported as "line N" (CSV)\n' +
        'or "entry N" (JSON) and the rest imported. Exit status: 0 all imported, 2 some rows skipped,\n' +
        '1 nothing done. Hash formats: docs/cli.md.',
    )
    .action(async (file: string, options: { format?: string; strict?: boolean }) => {
      const format = importFormat(file, options.format);
      const { rows, errors: readErrors } = readImportRows(await readText(file), format);
      await cli.withApp(async (app) => {
        const { imported, errors } = await importUsers(app.core, rows, readErrors, options.strict === true);
        for (const error of errors) cli.note(`${error.where}: ${error.message}`);
        cli.out.line(`imported ${imported}, skipped ${rows.length + readErrors.length - imported}`);
        if (errors.length > 0 && options.strict) throw new CliError(`nothing imported (--strict): ${errors.length} row(s) with errors`);
        if (errors.length > 0) cli.exitCode = EXIT_PARTIAL;
      });
    });
}

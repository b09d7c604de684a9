#!/usr/bin/env node
import { writeSync } from 'node:fs';
/**
 * `tessera`, the operator's command line (the package's bin). Every command reads the
 * configuration from the environment like the server, builds Tessera through `app.ts`, does one
 * thing and closes. A failure prints one line, `tessera: <message>`, and exits non-zero.
 */
import { Command, CommanderError } from 'commander';
import { version } from '../version.js';
import { describeError, errorLine } from './cli-context.js';
import { addClientCommands } from './client.commands.js';
import { addImportCommand } from './import.command.js';
import { addKeysCommands } from './keys.commands.js';
import { addMigrateCommand } from './migrate.command.js';
import { addUserCommands } from './user.commands.js';

export function buildProgram(): Command {
  const program = new Command('tessera')
    .description(
      'Operate a Tessera authentication server: migrations, users, signing keys, OAuth clients, imports.\n' +
        'Configuration comes from the same environment variables as the server (DATABASE_URL, ...).',
    )
    .version(version, '-V, --version', 'print the version')
    // Set before any command is added: subcommands inherit both.
    .configureOutput({ outputError: (message, write) => write(errorLine(message.replace(/^error: /, ''))) })
    .exitOverride()
    .addHelpText('after', '\nA failed command prints one line, "tessera: <message>", and exits 1. See docs/cli.md.');
  addMigrateCommand(program);
  addUserCommands(program);
  addKeysCommands(program);
  addClientCommands(program);
  addImportCommand(program);
  return program;
}

/** Runs one command; answers the exit code. Commander has already printed its own errors and help. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(errorLine(describeError(error)));
    return 1;
  }
}

function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

process.on('uncaughtException', (error) => {
  // Synchronous: an asynchronous write to a piped stderr could be lost by process.exit.
  writeSync(2, errorLine(describeError(error)));
  process.exit(1);
});

run(process.argv).then(exitAfterFlush, (error: unknown) => {
  // Synchronous: an asynchronous write to a piped stderr could be lost by process.exit.
  writeSync(2, errorLine(describeError(error)));
  process.exit(1);
});

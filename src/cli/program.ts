/**
 * The `tessera` program: every command on one commander tree, and `run`, which executes one
 * command line on the streams and environment it is given. `main.ts` runs it on the process's
 * own; tests run it in-process. A failure prints one line, `tessera: <message>`.
 */
import { Command, CommanderError } from 'commander';
import { version } from '../version.js';
import { CliRun, describeError, errorLine, type CliIo } from './cli-context.js';
import { addClientCommands } from './client.commands.js';
import { addImportCommand } from './import.command.js';
import { addKeysCommands } from './keys.commands.js';
import { addMigrateCommand } from './migrate.command.js';
import { addUserCommands } from './user.commands.js';

/** A fresh program for one run (commander keeps parse state on its commands). */
export function buildProgram(cli: CliRun): Command {
  const { stdout, stderr } = cli.io;
  const program = new Command('tessera')
    .description(
      'Operate a Tessera authentication server: migrations, users, signing keys, OAuth clients, imports.\n' +
        'Configuration comes from the same environment variables as the server (DATABASE_URL, ...).',
    )
    .version(version, '-V, --version', 'print the version')
    // Set before any command is added: subcommands inherit both. Help and usage go to the run's
    // streams; commander throws instead of calling process.exit.
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      outputError: (message, write) => write(errorLine(message.replace(/^error: /, ''))),
    })
    .exitOverride()
    .addHelpText('after', '\nA failed command prints one line, "tessera: <message>", and exits 1. See docs/cli.md.');
  addMigrateCommand(program, cli);
  addUserCommands(program, cli);
  addKeysCommands(program, cli);
  addClientCommands(program, cli);
  addImportCommand(program, cli);
  return program;
}

/**
 * Runs one command line (`args` without node and script, e.g. `['user', 'list']`); answers the
 * exit status. Never exits the process: commander's own errors and help arrive as CommanderError.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const cli = new CliRun(io);
  try {
    await buildProgram(cli).parseAsync(args, { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    // Commander has already printed its own errors and help.
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(errorLine(describeError(error)));
    return 1;
  }
}

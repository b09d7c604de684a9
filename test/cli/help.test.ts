/** `--help` on every command, the program's own help and usage: in-process, no database. */
import { describe, it } from 'vitest';
import { lines, runCli } from '../support/run-cli.js';

const NO_DATABASE = { env: { DATABASE_URL: 'sqlite::memory:' } };

const COMMANDS = [[], ['migrate'], ['user'], ['user', 'create'], ['user', 'list'], ['user', 'set-roles'], ['user', 'expire'], ['keys'], ['keys', 'rotate'], ['keys', 'list'], ['client'], ['client', 'create'], ['import']];

describe.concurrent('--help', () => {
  // the title is the whole command line, so a failure names the command
  it.for(COMMANDS.map((command) => ['tessera', ...command, '--help'].join(' ')))('%s exits 0 with its usage', async (line, { expect }) => {
    const command = line.split(' ').slice(1, -1);
    const result = await runCli([...command, '--help'], NO_DATABASE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`Usage: ${['tessera', ...command].join(' ')} `);
  });

  it('tessera --help lists every command', async ({ expect }) => {
    const { stdout } = await runCli(['--help']);
    for (const name of ['migrate', 'user', 'keys', 'client', 'import']) expect(stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });

  it('tessera help user prints the help of user', async ({ expect }) => {
    const result = await runCli(['help', 'user'], NO_DATABASE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Usage: tessera user ');
  });

  it('tessera without a command prints its usage on stderr and exits 1', async ({ expect }) => {
    const result = await runCli([], NO_DATABASE);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: tessera ');
  });

  it('tessera --version prints the version', async ({ expect }) => {
    const result = await runCli(['--version'], NO_DATABASE);
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout)).toEqual([expect.stringMatching(/^\d+\.\d+\.\d+/)]);
  });
});

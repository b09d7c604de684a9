/** Every way a command line can fail ends the same: one `tessera: ...` line, a non-zero exit, no secret. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cliEnv, runCli } from '../support/run-cli.js';
import { expectOneLineError, freshDir } from './cli-helpers.js';

describe.concurrent('errors are one line and a non-zero exit', () => {
  const dir = freshDir();
  writeFileSync(join(dir, 'a-file'), 'not a folder');
  it.for([
    ['unknown command', ['frobnicate'], {}, /unknown command 'frobnicate'/],
    ['unknown subcommand', ['user', 'delete', 'x'], {}, /unknown command 'delete'/],
    ['missing argument', ['user', 'expire'], {}, /missing required argument 'user'/],
    ['unknown option', ['keys', 'list', '--colour'], {}, /unknown option '--colour'/],
    ['bad option value', ['user', 'list', '--limit', 'many'], {}, /--limit .* 1 to 100/],
    ['bad DATABASE_URL', ['user', 'list'], { DATABASE_URL: 'mysql://root:hunter2@db/x' }, /^tessera: DATABASE_URL: /],
    ['bad DATABASE_URL for migrate', ['migrate'], { DATABASE_URL: 'nonsense' }, /DATABASE_URL/],
    ['unusable database path', ['keys', 'list'], { DATABASE_URL: `sqlite:${dir}/a-file/t.db` }, /a-file/],
  ] as const)('%s', async ([, args, env, pattern], { expect }) => {
    const result = await runCli([...args], { env: cliEnv(dir, env) });
    expectOneLineError(result, pattern);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain('hunter2');
  });
});

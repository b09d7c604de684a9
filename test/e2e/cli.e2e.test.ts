/**
 * The real `tessera` process, as a user starts it (`node --import tsx src/cli/main.ts`), against a
 * SQLite file in a temp folder: the few things only a process shows (its exit status, its streams
 * flushed before exit, stdin read from a pipe, the environment). Every command's behaviour is
 * tested in-process through the same program in test/cli/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, lines, spawnCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const PASSWORD = 'granite falcon meadow 7731';

describe('the tessera process', { timeout: 120_000 }, () => {
  const dir = tempDir('tessera-cli-e2e-');
  afterAll(() => dir.remove());
  const env = cliEnv(dir.path);

  it('tessera --help exits 0 with the usage on stdout', async () => {
    const result = await spawnCli(['--help'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Usage: tessera ');
  });

  it('user create writes the database (password from a pipe), user list reads it, an unknown user exits 1 with one line', async () => {
    const created = await spawnCli(['user', 'create', 'smoke', '--password-stdin', '--role', 'admin'], { env, input: `${PASSWORD}\n` });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created user smoke \(id [0-9a-f-]{36}\)\n$/);

    const listed = await spawnCli(['user', 'list', '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toMatch(/argon2|passwordHash|granite/);
    expect(JSON.parse(listed.stdout)).toMatchObject({ users: [{ username: 'smoke', roles: ['admin'] }], nextCursor: null });

    const failed = await spawnCli(['user', 'expire', 'nobody'], { env });
    expect(failed.signal).toBeNull();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(lines(failed.stderr)).toEqual(['tessera: no user with username or id "nobody"']);
  });
});

/** `tessera user create|list|set-roles|expire` on one database, in order. */
import { describe, expect, it } from 'vitest';
import { lines } from '../support/run-cli.js';
import { expectOneLineError, freshDir, listUsers, login, ok, PASSWORD, tessera, withApp, type ListedUser } from './cli-helpers.js';

describe('user commands (one database)', () => {
  const dir = freshDir();

  it('user create reads the password from stdin; user list shows the user but never a hash', async () => {
    const out = await ok(dir, ['user', 'create', 'Alice', '--password-stdin', '--email', 'Alice@Example.com', '--name', 'Alice A.', '--role', 'admin', '--role', 'ops'], `${PASSWORD}\n`);
    expect(out).toMatch(/^created user Alice \(id [0-9a-f-]{36}\)\n$/);
    const table = await ok(dir, ['user', 'list']);
    expect(lines(table)[0]).toMatch(/^ID\s+USERNAME\s+EMAIL\s+ROLES\s+STATUS\s+CREATED$/);
    expect(table).toMatch(/Alice\s+alice@example\.com\s+admin,ops\s+active/);
    const json = await ok(dir, ['user', 'list', '--json']);
    expect(json).not.toMatch(/argon2|passwordHash/);
    expect(JSON.parse(json)).toMatchObject({ users: [{ username: 'Alice', email: 'alice@example.com', name: 'Alice A.', roles: ['admin', 'ops'] }], nextCursor: null });
    // the line break of the stdin password was dropped: the password logs in exactly as given
    await withApp(dir, async (app) => expect((await login(app, 'alice', PASSWORD)).statusCode).toBe(200));
  });

  it('user create with --password, and the password policy applies', async () => {
    await ok(dir, ['user', 'create', 'bob', '--password', PASSWORD]);
    expectOneLineError(await tessera(dir, ['user', 'create', 'carol', '--password', 'short']), /at least 8 characters/);
    expectOneLineError(await tessera(dir, ['user', 'create', 'carol']), /password-stdin/);
    expectOneLineError(await tessera(dir, ['user', 'create', 'carol', '--password-stdin', '--password', PASSWORD], PASSWORD), /not both/);
    expectOneLineError(await tessera(dir, ['user', 'create', 'BOB', '--password', PASSWORD]), /already taken/);
  });

  it('user list --query and --limit page through users', async () => {
    expect((await listUsers(dir)).map((u) => u.username)).toEqual(['Alice', 'bob']);
    const first = JSON.parse(await ok(dir, ['user', 'list', '--json', '--limit', '1'])) as { users: ListedUser[]; nextCursor: string };
    expect(first.users.map((u) => u.username)).toEqual(['Alice']);
    expect(await ok(dir, ['user', 'list', '--limit', '1'])).toContain(`more: tessera user list --cursor ${first.nextCursor}\n`);
    const second = JSON.parse(await ok(dir, ['user', 'list', '--json', '--limit', '1', '--cursor', first.nextCursor])) as { users: ListedUser[] };
    expect(second.users.map((u) => u.username)).toEqual(['bob']);
    expect((JSON.parse(await ok(dir, ['user', 'list', '--json', '--query', 'bo'])) as { users: ListedUser[] }).users.map((u) => u.username)).toEqual(['bob']);
  });

  it('user set-roles replaces the roles, by username (any case) or id', async () => {
    expect(await ok(dir, ['user', 'set-roles', 'ALICE', 'viewer', 'editor'])).toBe('roles of Alice: viewer, editor\n');
    expect((await listUsers(dir)).find((u) => u.username === 'Alice')?.roles).toEqual(['viewer', 'editor']);
    const bobId = await withApp(dir, async (app) => (await app.core.store.users.findByUsernameKey('bob'))!.id);
    await ok(dir, ['user', 'set-roles', bobId, 'auditor']);
    await ok(dir, ['user', 'set-roles', 'alice', '--none']);
    const users = await listUsers(dir);
    expect(users.map((u) => [u.username, u.roles])).toEqual([
      ['Alice', []],
      ['bob', ['auditor']],
    ]);
    expectOneLineError(await tessera(dir, ['user', 'set-roles', 'bob', 'Not A Role']), /lower-case/);
    expectOneLineError(await tessera(dir, ['user', 'set-roles', 'bob']), /--none/);
    expectOneLineError(await tessera(dir, ['user', 'set-roles', 'bob', 'admin', '--none']), /not both/);
    expect((await listUsers(dir)).find((u) => u.username === 'bob')?.roles).toEqual(['auditor']);
  });

  it('user expire: the next login answers 403 passwordExpired', async () => {
    expect(await ok(dir, ['user', 'expire', 'bob'])).toBe('password of bob expired\n');
    expect((await listUsers(dir)).find((u) => u.username === 'bob')?.passwordExpired).toBe(true);
    expect(await ok(dir, ['user', 'list'])).toMatch(/bob\s+-\s+auditor\s+password expired/);
    await withApp(dir, async (app) => {
      const res = await login(app, 'bob', PASSWORD);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({ passwordExpired: true });
      expect((await login(app, 'alice', PASSWORD)).statusCode).toBe(200);
    });
  });

  it('an unknown user is one error line', async () => {
    expectOneLineError(await tessera(dir, ['user', 'expire', 'nobody']), /no user with username or id "nobody"/);
    expectOneLineError(await tessera(dir, ['user', 'set-roles', 'nobody', 'admin']), /no user/);
  });
});

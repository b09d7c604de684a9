/**
 * The real `tessera` CLI, one process per command, against a SQLite file in a temp folder. What a
 * command changed is checked through its own output and through an in-process Tessera on the same
 * file (createApp + inject), the way a server started afterwards would see it.
 */
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { cliEnv, lines, runCli, type CliResult } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const PASSWORD = 'granite falcon meadow 7731';
const CURRENT_ARGON2 = '$argon2id$v=19$m=19456,t=2,p=1$';

const dirs: Array<{ remove(): void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

function freshDir(): string {
  const dir = tempDir('tessera-cli-');
  dirs.push(dir);
  return dir.path;
}

function tessera(dir: string, args: string[], input?: string): Promise<CliResult> {
  return runCli(args, { env: cliEnv(dir), ...(input === undefined ? {} : { input }) });
}

/** Exit 0, nothing on stderr; answers stdout. */
async function ok(dir: string, args: string[], input?: string): Promise<string> {
  const result = await tessera(dir, args, input);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

/** A failed command: non-zero exit, exactly one `tessera: ...` line on stderr, no stack trace. */
function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.code).not.toBe(0);
  const errors = lines(result.stderr);
  expect(errors, result.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(/^tessera: /);
  expect(errors[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

/** An in-process Tessera on the CLI's database, closed after `work`. */
async function withApp<T>(dir: string, work: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig(cliEnv(dir)).config);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

function login(app: App, username: string, password: string) {
  return app.server.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
}

async function storedHash(app: App, username: string): Promise<string | undefined> {
  return (await app.core.store.users.findByUsernameKey(username.toLowerCase()))?.passwordHash;
}

interface ListedUser {
  username: string;
  email: string | null;
  name: string | null;
  roles: string[];
  passwordExpired: boolean;
}

async function listUsers(dir: string): Promise<ListedUser[]> {
  return (JSON.parse(await ok(dir, ['user', 'list', '--json', '--limit', '100'])) as { users: ListedUser[] }).users;
}

describe.concurrent('--help', { timeout: 120_000 }, () => {
  const commands = [[], ['migrate'], ['user'], ['user', 'create'], ['user', 'list'], ['user', 'set-roles'], ['user', 'expire'], ['keys'], ['keys', 'rotate'], ['keys', 'list'], ['client'], ['client', 'create'], ['import']];
  // the title is the whole command line, so a failure names the command
  it.for(commands.map((command) => ['tessera', ...command, '--help'].join(' ')))(
    '%s exits 0 with its usage',
    async (line, { expect }) => {
      const command = line.split(' ').slice(1, -1);
      const result = await runCli([...command, '--help'], { env: { DATABASE_URL: 'sqlite::memory:' } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`Usage: ${['tessera', ...command].join(' ')} `);
    },
  );

  it('lists every command in the program help', async ({ expect }) => {
    const { stdout } = await runCli(['--help']);
    for (const name of ['migrate', 'user', 'keys', 'client', 'import']) expect(stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });
});

describe('migrate', { timeout: 120_000 }, () => {
  it('applies every migration, then has nothing to do', async () => {
    const dir = freshDir();
    const applied = lines(await ok(dir, ['migrate']));
    expect(applied.slice(0, 3)).toEqual(['applied 0001-initial', 'applied 0002-api-keys', 'applied 0003-clients-issuers']);
    for (const line of applied) expect(line).toMatch(/^applied \d{4}-[a-z0-9-]+$/);
    expect(lines(await ok(dir, ['migrate']))).toEqual(['nothing to do: the schema is up to date']);
  });
});

describe('user commands (one database)', { timeout: 240_000 }, () => {
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
    await withApp(dir, async (app) => expect((await login(app, 'alice', PASSWORD)).statusCode).toBe(200));
  });

  it('user create with --password, and the password policy applies', async () => {
    await ok(dir, ['user', 'create', 'bob', '--password', PASSWORD]);
    expectOneLineError(await tessera(dir, ['user', 'create', 'carol', '--password', 'short']), /at least 8 characters/);
    expectOneLineError(await tessera(dir, ['user', 'create', 'carol']), /password-stdin/);
    expectOneLineError(await tessera(dir, ['user', 'create', 'BOB', '--password', PASSWORD]), /already taken/);
  });

  it('user list --query and --limit page through users', async () => {
    expect((await listUsers(dir)).map((u) => u.username)).toEqual(['Alice', 'bob']);
    const first = JSON.parse(await ok(dir, ['user', 'list', '--json', '--limit', '1'])) as { users: ListedUser[]; nextCursor: string };
    expect(first.users.map((u) => u.username)).toEqual(['Alice']);
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

describe('keys commands', { timeout: 180_000 }, () => {
  it('keys list shows one current key; keys rotate makes a new current key and retires the old one', async () => {
    const dir = freshDir();
    type Key = { kid: string; current: boolean; retiredAt: string | null };
    const before = JSON.parse(await ok(dir, ['keys', 'list', '--json'])) as Key[];
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ current: true, retiredAt: null });
    const rotated = /^new current key (\S+)\n$/.exec(await ok(dir, ['keys', 'rotate']))?.[1];
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(before[0]!.kid);
    const after = JSON.parse(await ok(dir, ['keys', 'list', '--json'])) as Key[];
    expect(after).toHaveLength(2);
    expect(after.find((k) => k.kid === rotated)).toMatchObject({ current: true, retiredAt: null });
    expect(after.find((k) => k.kid === before[0]!.kid)).toMatchObject({ current: false, retiredAt: expect.any(String) });
    const table = lines(await ok(dir, ['keys', 'list']));
    expect(table[0]).toMatch(/^KID\s+ALG\s+CREATED\s+RETIRED\s+CURRENT\s+ENCRYPTED$/);
    expect(table.find((l) => l.startsWith(rotated!))).toMatch(/RS256 .* yes\s+no$/);
  });
});

describe('client create', { timeout: 180_000 }, () => {
  it('prints client_id and client_secret once; the client authenticates with them', async () => {
    const dir = freshDir();
    const result = await tessera(dir, ['client', 'create', 'Billing service', '--role', 'billing', '--grant', 'client_credentials']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/shown|again/);
    const [idLine, secretLine] = lines(result.stdout);
    const clientId = /^client_id: (\S+)$/.exec(idLine ?? '')?.[1];
    const clientSecret = /^client_secret: (\S{43})$/.exec(secretLine ?? '')?.[1];
    expect(clientId && clientSecret, result.stdout).toBeTruthy();
    const json = JSON.parse(await ok(dir, ['client', 'create', 'Reports', '--json'])) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'Reports', grant_types: ['client_credentials'], roles: [] });
    await withApp(dir, async (app) => {
      const client = await app.core.clients.authenticate(clientId!, clientSecret!);
      expect(client).toMatchObject({ name: 'Billing service', roles: ['billing'], grantTypes: ['client_credentials'] });
      await expect(app.core.clients.authenticate(clientId!, `${clientSecret!}x`)).rejects.toMatchObject({ code: 'invalid_client' });
      await expect(app.core.clients.authenticate(json.client_id as string, json.client_secret as string)).resolves.toBeDefined();
      expect(await app.core.store.clients.findById(clientId!)).toBeDefined();
    });
    expectOneLineError(await tessera(dir, ['client', 'create', 'x', '--grant', 'implicit']), /unknown grant type implicit/);
  });
});

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** One user per accepted format, each with its own password, hashed as the other system did. */
async function foreignUsers(): Promise<Array<{ username: string; password: string; hash: string; scheme: string }>> {
  const salt = randomBytes(16);
  return [
    { username: 'bcrypt-user', password: 'bcrypt password one', scheme: 'bcrypt', hash: bcrypt.hashSync('bcrypt password one', 4) },
    {
      username: 'argon2-user',
      password: 'argon2 password two',
      scheme: 'argon2id m=4096,t=3,p=2',
      hash: await argon2Hash('argon2 password two', { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 2 }),
    },
    {
      username: 'argon2i-user',
      password: 'argon2i password three',
      scheme: 'argon2i',
      hash: await argon2Hash('argon2i password three', { algorithm: 1, memoryCost: 4096, timeCost: 3 }),
    },
    {
      username: 'scrypt-user',
      password: 'scrypt password four',
      scheme: 'scrypt',
      hash: `$scrypt$ln=10,r=8,p=1$${b64(salt)}$${b64(scryptSync('scrypt password four', salt, 32, { N: 1024, r: 8, p: 1 }))}`,
    },
    {
      username: 'passlib-user',
      password: 'pbkdf2 password five',
      scheme: 'pbkdf2-sha256 (passlib)',
      hash: `$pbkdf2-sha256$2000$${b64(salt).replace(/\+/g, '.')}$${b64(pbkdf2Sync('pbkdf2 password five', salt, 2000, 32, 'sha256')).replace(/\+/g, '.')}`,
    },
    {
      username: 'django-user',
      password: 'pbkdf2 password six',
      scheme: 'pbkdf2-sha256 (Django)',
      hash: `pbkdf2_sha256$2000$s4ltS4lt$${pbkdf2Sync('pbkdf2 password six', 's4ltS4lt', 2000, 32, 'sha256').toString('base64')}`,
    },
  ];
}

describe('import', { timeout: 240_000 }, () => {
  it('a JSON file with one user per hash format: each logs in with the original password and is rehashed to argon2id', async () => {
    const dir = freshDir();
    const users = await foreignUsers();
    const file = join(dir, 'users.json');
    writeFileSync(
      file,
      JSON.stringify(users.map((u, i) => ({ username: u.username, email: `${u.username}@example.com`, name: u.scheme, roles: i === 0 ? ['staff', 'admin'] : [], password_hash: u.hash }))),
    );
    expect(await ok(dir, ['import', file])).toBe(`imported ${users.length}, skipped 0\n`);
    const listed = await listUsers(dir);
    expect(listed.find((u) => u.username === 'bcrypt-user')).toMatchObject({ email: 'bcrypt-user@example.com', name: 'bcrypt', roles: ['staff', 'admin'] });
    await withApp(dir, async (app) => {
      for (const user of users) {
        expect(await storedHash(app, user.username), user.scheme).toBe(user.hash);
        expect((await login(app, user.username, `${user.password}!`)).statusCode, user.scheme).toBe(401);
        expect(await storedHash(app, user.username), `${user.scheme}: a failed login keeps the hash`).toBe(user.hash);
        const res = await login(app, user.username, user.password);
        expect(res.statusCode, `${user.scheme}: ${res.body}`).toBe(200);
        expect(await storedHash(app, user.username), user.scheme).toMatch(new RegExp(`^${CURRENT_ARGON2.replace(/\$/g, '\\$')}`));
        expect((await login(app, user.username, user.password)).statusCode, `${user.scheme} after rehash`).toBe(200);
      }
    });
    // A second import of the same file: every row is a name already taken.
    const again = await tessera(dir, ['import', file]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe(`imported 0, skipped ${users.length}\n`);
    expect(lines(again.stderr)).toHaveLength(users.length);
    expect(lines(again.stderr)[0]).toMatch(/^tessera: entry 1: the (username|email address) is already (taken|in use)$/);
  });

  it('a CSV file: roles split on ";", quoted fields; bad rows are reported by line and the others imported', async () => {
    const dir = freshDir();
    const [bcryptUser, , , scryptUser] = await foreignUsers();
    const file = join(dir, 'users.csv');
    writeFileSync(
      file,
      [
        'username,email,name,roles,password_hash',
        `${bcryptUser!.username},b@example.com,"Smith, Jane",admin;ops,${bcryptUser!.hash}`,
        `bad-email,not-an-email,,,${bcryptUser!.hash}`,
        `${scryptUser!.username},,"Two`,
        // the scrypt hash holds commas (ln=..,r=..,p=..): quoted, as any CSV writer does
        `Lines",,"${scryptUser!.hash}"`,
        'plain,,,,secret-in-clear',
        `short,row`,
        `,,,,${bcryptUser!.hash}`,
        `ext:evil,,,,${bcryptUser!.hash}`,
        '',
        `last,,,viewer,${bcryptUser!.hash}`,
      ].join('\r\n'),
    );
    const result = await tessera(dir, ['import', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout, result.stderr).toBe('imported 3, skipped 5\n');
    expect(lines(result.stderr)).toEqual([
      'tessera: line 3: email must be a valid email address',
      'tessera: line 6: password_hash is not in a recognised format (bcrypt, argon2, scrypt, pbkdf2-sha256)',
      'tessera: line 7: expected 5 fields like the header, got 2',
      'tessera: line 8: username is missing',
      'tessera: line 9: usernames starting with "ext:" are reserved for external identities',
    ]);
    const listed = await listUsers(dir);
    // imported in one go, so with one creation time: compare sorted
    expect(listed.map((u) => [u.username, u.email, u.name, u.roles]).sort()).toEqual([
      [bcryptUser!.username, 'b@example.com', 'Smith, Jane', ['admin', 'ops']],
      ['last', null, null, ['viewer']],
      [scryptUser!.username, null, 'Two\nLines', []],
    ]);
    await withApp(dir, async (app) => {
      expect((await login(app, scryptUser!.username, scryptUser!.password)).statusCode).toBe(200);
      expect((await login(app, 'last', bcryptUser!.password)).statusCode).toBe(200);
    });
  });

  it('rows are made by the registration factory: role, name, reserved-prefix and email rules', async () => {
    const dir = freshDir();
    const [bcryptUser] = await foreignUsers();
    const file = join(dir, 'rules.json');
    const hash = bcryptUser!.hash;
    writeFileSync(
      file,
      JSON.stringify([
        { username: 'bad-role', roles: ['Not A Role'], password_hash: hash },
        { username: 'escaped', name: 'a\u001b[31mred', password_hash: hash },
        { username: '\uFF25\uFF38\uFF34:spoof', password_hash: hash },
        { username: 'mixed', email: ' MiXed@Example.COM ', password_hash: hash },
      ]),
    );
    const result = await tessera(dir, ['import', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'tessera: entry 1: role "Not A Role" is not a lower-case identifier',
      'tessera: entry 2: name must be at most 200 characters without control characters',
      'tessera: entry 3: usernames starting with "ext:" are reserved for external identities',
    ]);
    expect((await listUsers(dir)).map((u) => [u.username, u.email])).toEqual([['mixed', 'mixed@example.com']]);
  });

  it('--strict imports nothing when a row is bad', async () => {
    const dir = freshDir();
    const [bcryptUser] = await foreignUsers();
    const file = join(dir, 'strict.csv');
    writeFileSync(file, `username,password_hash\ngood,${bcryptUser!.hash}\nbad,nothing\next:x,${bcryptUser!.hash}\n`);
    const result = await tessera(dir, ['import', '--strict', file]);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'tessera: line 3: password_hash is not in a recognised format (bcrypt, argon2, scrypt, pbkdf2-sha256)',
      'tessera: line 4: usernames starting with "ext:" are reserved for external identities',
      'tessera: nothing imported (--strict): 2 row(s) with errors',
    ]);
    expect(await listUsers(dir)).toEqual([]);
    writeFileSync(file, `username,password_hash\ngood,${bcryptUser!.hash}\n`);
    expect(await ok(dir, ['import', '--strict', file])).toBe('imported 1, skipped 0\n');
  });

  it('a file that cannot be read as a whole is one error line', async () => {
    const dir = freshDir();
    const bad = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expectOneLineError(await tessera(dir, ['import', join(dir, 'missing.json')]), /cannot read .*missing\.json: no such file/);
    expectOneLineError(await tessera(dir, ['import', bad('x.json', '{"username": "a"}')]), /array of user objects/);
    expectOneLineError(await tessera(dir, ['import', bad('y.json', '[{')]), /not valid JSON/);
    expectOneLineError(await tessera(dir, ['import', bad('z.csv', 'user,password\n')]), /line 1: unknown column "user"/);
    expectOneLineError(await tessera(dir, ['import', bad('users.txt', '[]')]), /--format json\|csv/);
    expect(await ok(dir, ['import', '--format', 'json', join(dir, 'users.txt')])).toBe('imported 0, skipped 0\n');
  });
});

describe.concurrent('errors are one line and a non-zero exit', { timeout: 120_000 }, () => {
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
  ] as const)('%s', async ([, args, env, pattern]) => {
    const result = await runCli([...args], { env: cliEnv(dir, env) });
    expectOneLineError(result, pattern);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain('hunter2');
  });
});

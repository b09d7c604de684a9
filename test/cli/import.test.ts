/**
 * `tessera import`: users with the password hashes of other systems, from JSON and CSV; each logs
 * in with the original password and is rehashed to argon2id.
 */
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { lines } from '../support/run-cli.js';
import { expectOneLineError, freshDir, listUsers, login, ok, storedHash, tessera, withApp } from './cli-helpers.js';

const CURRENT_ARGON2 = '$argon2id$v=19$m=19456,t=2,p=1$';

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

describe('import', () => {
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

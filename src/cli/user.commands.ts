/** `tessera user create|list|set-roles|expire`: user administration through core.userAdmin. */
import { InvalidArgumentError, type Command } from 'commander';
import type { User } from '../core/users/user.types.js';
import { userView, utcDateTime } from '../core/views/operator-views.js';
import { CLI_CONTEXT, CliError, type CliApp, type CliRun } from './cli-context.js';
import { collect, timestamp } from './output.js';

const MAX_LIMIT = 100;

function limitOption(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** The password from stdin, without the one line break that `echo` or a here-string adds. */
async function readPasswordFromStdin(cli: CliRun): Promise<string> {
  return (await cli.readStdin()).replace(/\r?\n$/, '');
}

/** A user by username (any case, as logins match it) or by id. */
async function findUser(app: CliApp, ref: string): Promise<User> {
  const user = await app.core.userAdmin.find(ref);
  if (!user) throw new CliError(`no user with username or id "${ref}"`);
  return user;
}

/** A user as the admin API shows it (never the password hash), date-times in UTC. */
function publicUser(app: CliApp, user: User) {
  return userView(user, app.core.userAdmin.passwordExpired(user), utcDateTime);
}

function status(app: CliApp, user: User): string {
  if (user.locked) return 'locked';
  return app.core.userAdmin.passwordExpired(user) ? 'password expired' : 'active';
}

interface CreateOptions {
  password?: string;
  passwordStdin?: boolean;
  email?: string;
  name?: string;
  role?: string[];
  json?: boolean;
}

export function addUserCommands(program: Command, cli: CliRun): void {
  const user = program.command('user').description('create, list and change users');

  user
    .command('create')
    .description('create a user with a password (checked against the password policy)')
    .argument('<username>', 'the login name')
    .option('--password-stdin', 'read the password from standard input (preferred)')
    .option('--password <password>', 'the password (visible to other local users in the process list)')
    .option('--email <email>', 'email address')
    .option('--name <name>', 'display name')
    .option('--role <role>', 'a role to grant (repeatable)', collect, [])
    .option('--json', 'print the user as JSON, as POST /v1/admin/users answers')
    .action(async (username: string, options: CreateOptions) => {
      if (options.passwordStdin && options.password !== undefined) throw new CliError('give either --password-stdin or --password, not both');
      if (!options.passwordStdin && options.password === undefined) throw new CliError('a password is required: use --password-stdin (or --password)');
      const password = options.passwordStdin ? await readPasswordFromStdin(cli) : (options.password ?? '');
      await cli.withApp(async (app) => {
        const created = await app.core.userAdmin.create(
          { username, password, email: options.email, name: options.name, roles: options.role ?? [] },
          CLI_CONTEXT,
        );
        if (options.json) cli.out.json(publicUser(app, created));
        else cli.out.line(`created user ${created.username} (id ${created.id})`);
      });
    });

  user
    .command('list')
    .description('list users, oldest first')
    .option('--query <text>', 'only users whose username or email contains this text')
    .option('--limit <n>', `how many users (1-${MAX_LIMIT})`, limitOption, 20)
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'print JSON instead of a table: {users, nextCursor} as GET /v1/admin/users answers')
    .action(async (options: { query?: string; limit: number; cursor?: string; json?: boolean }) => {
      await cli.withApp(async (app) => {
        const page = await app.core.userAdmin.list({ query: options.query, limit: options.limit, cursor: options.cursor });
        if (options.json) {
          cli.out.json({ users: page.users.map((u) => publicUser(app, u)), nextCursor: page.nextCursor });
          return;
        }
        cli.out.table(
          ['ID', 'USERNAME', 'EMAIL', 'ROLES', 'STATUS', 'CREATED'],
          page.users.map((u) => [u.id, u.username, u.email ?? '-', u.roles.join(',') || '-', status(app, u), timestamp(u.createdAt)]),
          '(no users)',
        );
        if (page.nextCursor) cli.out.line(`more: tessera user list --cursor ${page.nextCursor}`);
      });
    });

  user
    .command('set-roles')
    .description("replace a user's roles")
    .argument('<user>', 'username or id')
    .argument('[roles...]', 'the complete new set of roles')
    .option('--none', 'remove every role')
    .action(async (ref: string, roles: string[], options: { none?: boolean }) => {
      if (options.none && roles.length > 0) throw new CliError('give roles or --none, not both');
      if (!options.none && roles.length === 0) throw new CliError('give at least one role, or --none to remove every role');
      await cli.withApp(async (app) => {
        const target = await findUser(app, ref);
        const updated = await app.core.userAdmin.patch(target.id, { roles }, CLI_CONTEXT);
        cli.out.line(`roles of ${updated.username}: ${updated.roles.join(', ') || '(none)'}`);
      });
    });

  user
    .command('expire')
    .description("expire a user's password now: the next login may only change it")
    .argument('<user>', 'username or id')
    .action(async (ref: string) => {
      await cli.withApp(async (app) => {
        const target = await findUser(app, ref);
        await app.core.userAdmin.expirePassword(target.id, CLI_CONTEXT);
        cli.out.line(`password of ${target.username} expired`);
      });
    });
}

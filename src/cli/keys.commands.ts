/** `tessera keys rotate|list`: the signing keys of access tokens, through core.keys. */
import type { Command } from 'commander';
import { signingKeyView, utcDateTime } from '../core/views/operator-views.js';
import { CLI_CONTEXT, type CliRun } from './cli-context.js';
import { timestamp } from './output.js';

export function addKeysCommands(program: Command, cli: CliRun): void {
  const keys = program.command('keys').description('rotate and list the signing keys of access tokens');

  keys
    .command('rotate')
    .description('make a new current signing key; older keys keep verifying until their tokens expire')
    .action(async () => {
      await cli.withApp(async (app) => {
        const kid = await app.core.rotateSigningKey(CLI_CONTEXT);
        cli.out.line(`new current key ${kid}`);
      });
    });

  keys
    .command('list')
    .description('list every stored signing key, newest first (no key material)')
    .option('--json', 'print JSON instead of a table: the keys as GET /v1/admin/keys answers them')
    .action(async (options: { json?: boolean }) => {
      await cli.withApp(async (app) => {
        const list = await app.core.keys.list();
        if (options.json) {
          cli.out.json(list.map((k) => signingKeyView(k, utcDateTime)));
          return;
        }
        cli.out.table(
          ['KID', 'ALG', 'CREATED', 'RETIRED', 'CURRENT', 'ENCRYPTED'],
          list.map((k) => [k.kid, k.alg, timestamp(k.createdAt), timestamp(k.retiredAt), k.current ? 'yes' : 'no', k.encrypted ? 'yes' : 'no']),
          '(no keys)',
        );
      });
    });
}

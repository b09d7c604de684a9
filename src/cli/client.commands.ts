/** `tessera client create`: register an OAuth client through core.clients. */
import type { Command } from 'commander';
import { registeredClientView, utcDateTime } from '../core/views/operator-views.js';
import { CLI_CONTEXT, type CliRun } from './cli-context.js';
import { collect } from './output.js';

const GRANTS = 'client_credentials, refresh_token, password, urn:ietf:params:oauth:grant-type:token-exchange';

export function addClientCommands(program: Command, cli: CliRun): void {
  const client = program.command('client').description('register OAuth clients');

  client
    .command('create')
    .description('register a confidential client; its secret is printed once and stored only as a hash')
    .argument('<name>', 'a name for operators')
    .option('--grant <type>', `an allowed grant type (repeatable; default client_credentials): ${GRANTS}`, collect)
    .option('--role <role>', 'a role its client_credentials tokens carry (repeatable)', collect, [])
    .option('--json', 'print {clientId, clientSecret, ...} as JSON, as POST /v1/admin/clients answers')
    .action(async (name: string, options: { grant?: string[]; role: string[]; json?: boolean }) => {
      await cli.withApp(async (app) => {
        const { client: created, clientSecret } = await app.core.clients.register(
          { name, ...(options.grant ? { grantTypes: options.grant } : {}), roles: options.role },
          CLI_CONTEXT,
        );
        if (options.json) {
          cli.out.json(registeredClientView(created, clientSecret, utcDateTime));
          return;
        }
        cli.out.line(`client_id: ${created.id}`);
        cli.out.line(`client_secret: ${clientSecret}`);
        cli.note('store the client secret now: it is not shown again');
      });
    });
}

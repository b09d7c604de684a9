/** `tessera client create`: register an OAuth client through core.clients. */
import type { Command } from 'commander';
import { registeredClientView, utcDateTime } from '../core/views/operator-views.js';
import { CLI_CONTEXT, type CliRun } from './cli-context.js';
import { collect } from './output.js';

const GRANTS = 'client_credentials, refresh_token, password, urn:ietf:params:oauth:grant-type:token-exchange, authorization_code';

interface CreateOptions {
  grant?: string[];
  role: string[];
  redirectUri: string[];
  postLogoutRedirectUri: string[];
  authMethod?: string;
  scope?: string[];
  consent: boolean;
  json?: boolean;
}

export function addClientCommands(program: Command, cli: CliRun): void {
  const client = program.command('client').description('register OAuth clients');

  client
    .command('create')
    .description('register a client; a confidential one\'s secret is printed once and stored only as a hash')
    .argument('<name>', 'a name for operators')
    .option('--grant <type>', `an allowed grant type (repeatable; default client_credentials): ${GRANTS}`, collect)
    .option('--role <role>', 'a role its client_credentials tokens carry (repeatable)', collect, [])
    .option('--redirect-uri <uri>', 'a redirect URI for authorization_code (repeatable; exact match, loopback ports may vary)', collect, [])
    .option('--post-logout-redirect-uri <uri>', 'where logout may send the browser back (repeatable)', collect, [])
    .option('--auth-method <method>', 'token endpoint auth method: client_secret_basic (default), client_secret_post, none (public: no secret)')
    .option('--scope <scope>', 'an allowed scope (repeatable; default openid profile email, + offline_access with refresh_token)', collect)
    .option('--no-consent', 'a first-party app: people are not asked to consent')
    .option('--json', 'print {clientId, clientSecret, ...} as JSON, as POST /v1/admin/clients answers')
    .action(async (name: string, options: CreateOptions) => {
      await cli.withApp(async (app) => {
        const { client: created, clientSecret } = await app.core.clients.register(
          {
            name,
            ...(options.grant ? { grantTypes: options.grant } : {}),
            roles: options.role,
            redirectUris: options.redirectUri,
            postLogoutRedirectUris: options.postLogoutRedirectUri,
            ...(options.authMethod ? { tokenEndpointAuthMethod: options.authMethod } : {}),
            ...(options.scope ? { scopes: options.scope } : {}),
            consentRequired: options.consent,
          },
          CLI_CONTEXT,
        );
        if (options.json) {
          cli.out.json(registeredClientView(created, clientSecret, utcDateTime));
          return;
        }
        cli.out.line(`client_id: ${created.id}`);
        if (clientSecret === undefined) {
          cli.note('a public client: no secret; it proves itself with PKCE');
          return;
        }
        cli.out.line(`client_secret: ${clientSecret}`);
        cli.note('store the client secret now: it is not shown again');
      });
    });
}

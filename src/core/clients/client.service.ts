import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { constantTimeEqual, newId, randomToken, secretHash } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import type { AccessTokenService } from '../tokens/access-token.service.js';
import type { IssuedAccessToken } from '../tokens/token.types.js';
import { checkRoles } from '../users/roles.js';
import type { ClientGrantType, OAuthClient } from './client.types.js';

const GRANTS: readonly ClientGrantType[] = ['client_credentials', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:token-exchange'];

export function isGrantType(value: string): value is ClientGrantType {
  return (GRANTS as readonly string[]).includes(value);
}

/** OAuth clients: registration with a hashed secret, authentication, client_credentials tokens. */
export class ClientService {
  constructor(
    private readonly store: Store,
    private readonly tokens: AccessTokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async register(
    input: { name: string; grantTypes?: string[]; roles?: string[] },
    context: RequestContext,
  ): Promise<{ client: OAuthClient; clientSecret: string }> {
    const name = input.name.normalize('NFKC').trim();
    if (!name) throw new AuthError('invalid_input', 'name must not be empty', { field: 'name' });
    const grantTypes = [...new Set(input.grantTypes ?? ['client_credentials'])];
    const unknown = grantTypes.find((g) => !isGrantType(g));
    if (unknown !== undefined) throw new AuthError('invalid_input', `unknown grant type ${unknown}`, { field: 'grantTypes' });
    const roles = checkRoles(input.roles ?? []);
    const clientSecret = randomToken(32);
    const client: OAuthClient = {
      id: newId(),
      name,
      secretHash: secretHash(clientSecret),
      grantTypes: grantTypes as ClientGrantType[],
      roles,
      createdAt: this.clock.now(),
    };
    await this.store.clients.insert(client);
    await this.audit.record('client.created', { context, detail: { clientId: client.id } });
    return { client, clientSecret };
  }

  /** The client if id and secret match; the comparison is constant-time, unknown ids cost the same. */
  async authenticate(clientId: string, clientSecret: string): Promise<OAuthClient> {
    const client = clientId.length <= 64 ? await this.store.clients.findById(clientId) : undefined;
    const ok = constantTimeEqual(client?.secretHash ?? secretHash('unknown-client'), secretHash(clientSecret));
    if (!client || !ok) throw new AuthError('invalid_client', 'client authentication failed');
    return client;
  }

  /** A client_credentials access token: the client is the subject, with the client's roles. */
  async issueClientToken(client: OAuthClient, context: RequestContext): Promise<IssuedAccessToken> {
    if (!client.grantTypes.includes('client_credentials')) {
      throw new AuthError('unauthorized_client', 'the client may not use client_credentials');
    }
    const issued = await this.tokens.issueForClient(client);
    await this.audit.record('login.succeeded', { context, detail: { clientId: client.id, grant: 'client_credentials' } });
    return issued;
  }

  list(): Promise<OAuthClient[]> {
    return this.store.clients.list();
  }

  async delete(id: string, context: RequestContext): Promise<void> {
    if (!(await this.store.clients.delete(id))) throw new AuthError('not_found', 'no such client');
    await this.audit.record('client.deleted', { context, detail: { clientId: id } });
  }
}

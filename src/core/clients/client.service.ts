import type { AuditService } from '../audit/audit.service.js';
import { AuthError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import { constantTimeEqual, newId, randomToken, secretHash } from '../secrets.js';
import type { RequestContext } from '../context/request-context.js';
import type { AccessTokenService } from '../tokens/access-token.service.js';
import type { IssuedAccessToken } from '../tokens/token.types.js';
import { checkRegistration, type ClientRegistrationInput } from './client-registration.js';
import type { OAuthClient } from './client.types.js';

export { isGrantType } from './client-registration.js';

/** A registration that names no auth method or a secret-based one: it always gets a secret. */
type ConfidentialRegistration = ClientRegistrationInput & { tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | undefined };

/**
 * OAuth clients: registration (a hashed secret for confidential clients, none for public ones),
 * authentication, client_credentials tokens.
 */
export class ClientService {
  constructor(
    private readonly store: Store,
    private readonly tokens: AccessTokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Registers a client; `clientSecret` is undefined for a public client (`none`). */
  async register(input: ConfidentialRegistration, context: RequestContext): Promise<{ client: OAuthClient; clientSecret: string }>;
  async register(input: ClientRegistrationInput, context: RequestContext): Promise<{ client: OAuthClient; clientSecret: string | undefined }>;
  async register(input: ClientRegistrationInput, context: RequestContext): Promise<{ client: OAuthClient; clientSecret: string | undefined }> {
    const checked = checkRegistration(input);
    const clientSecret = checked.tokenEndpointAuthMethod === 'none' ? undefined : randomToken(32);
    const client: OAuthClient = {
      id: newId(),
      ...checked,
      secretHash: clientSecret === undefined ? null : secretHash(clientSecret),
      createdAt: this.clock.now(),
    };
    await this.store.clients.insert(client);
    await this.audit.record('client.created', { context, detail: { clientId: client.id } });
    return { client, clientSecret };
  }

  /**
   * The client if id and secret match; the comparison is constant-time, unknown ids cost the
   * same. A public client has no secret, so no secret authenticates it.
   */
  async authenticate(clientId: string, clientSecret: string): Promise<OAuthClient> {
    const client = await this.find(clientId);
    const ok = constantTimeEqual(client?.secretHash ?? secretHash('unknown-client'), secretHash(clientSecret));
    if (!client || client.secretHash === null || !ok) throw new AuthError('invalid_client', 'client authentication failed');
    return client;
  }

  /** A registered client by id, or undefined (ids longer than any of ours are not looked up). */
  async find(clientId: string): Promise<OAuthClient | undefined> {
    return clientId.length <= 64 ? this.store.clients.findById(clientId) : undefined;
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

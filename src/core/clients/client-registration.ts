import { AuthError } from '../errors.js';
import { checkRoles } from '../users/roles.js';
import type { ClientGrantType, OAuthClient, TokenEndpointAuthMethod } from './client.types.js';
import { checkRedirectUris } from './redirect-uris.js';
import { OIDC_SCOPES, isOidcScope } from './scopes.js';

const GRANTS: readonly ClientGrantType[] = [
  'client_credentials',
  'refresh_token',
  'password',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'authorization_code',
];

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];

/** What a public client may do: the browser flow and its refresh tokens, nothing that needs a secret. */
const PUBLIC_GRANTS: readonly ClientGrantType[] = ['authorization_code', 'refresh_token'];

export function isGrantType(value: string): value is ClientGrantType {
  return (GRANTS as readonly string[]).includes(value);
}

export interface ClientRegistrationInput {
  name: string;
  grantTypes?: string[] | undefined;
  roles?: string[] | undefined;
  redirectUris?: string[] | undefined;
  postLogoutRedirectUris?: string[] | undefined;
  tokenEndpointAuthMethod?: string | undefined;
  scopes?: string[] | undefined;
  consentRequired?: boolean | undefined;
}

/** A registration as stored: the client's own fields, each checked and defaulted. */
export type CheckedRegistration = Pick<
  OAuthClient,
  'name' | 'grantTypes' | 'roles' | 'redirectUris' | 'postLogoutRedirectUris' | 'tokenEndpointAuthMethod' | 'scopes' | 'consentRequired'
>;

/**
 * The rules of a client registration, in one place for the admin API and the CLI: known grant
 * types; redirect URIs required by (and only meaningful for) `authorization_code`; a public
 * client (`none`) only with the grants that need no secret; scopes from those Tessera can
 * answer (default: `openid profile email`, plus `offline_access` with `refresh_token`).
 */
export function checkRegistration(input: ClientRegistrationInput): CheckedRegistration {
  const name = input.name.normalize('NFKC').trim();
  if (!name) throw new AuthError('invalid_input', 'name must not be empty', { field: 'name' });
  const grantTypes = [...new Set(input.grantTypes ?? ['client_credentials'])];
  const unknown = grantTypes.find((g) => !isGrantType(g));
  if (unknown !== undefined) throw new AuthError('invalid_input', `unknown grant type ${unknown}`, { field: 'grantTypes' });
  const method = input.tokenEndpointAuthMethod ?? 'client_secret_basic';
  if (!(AUTH_METHODS as readonly string[]).includes(method)) {
    throw new AuthError('invalid_input', `unknown token endpoint auth method ${method}`, { field: 'tokenEndpointAuthMethod' });
  }
  const tokenEndpointAuthMethod = method as TokenEndpointAuthMethod;
  if (tokenEndpointAuthMethod === 'none') {
    const secretOnly = grantTypes.find((g) => !(PUBLIC_GRANTS as readonly string[]).includes(g));
    if (secretOnly !== undefined) throw new AuthError('invalid_input', `a public client cannot use ${secretOnly}`, { field: 'grantTypes' });
  }
  const browser = grantTypes.includes('authorization_code');
  const redirectUris = checkRedirectUris(input.redirectUris ?? [], 'redirectUris');
  const postLogoutRedirectUris = checkRedirectUris(input.postLogoutRedirectUris ?? [], 'postLogoutRedirectUris');
  if (browser && redirectUris.length === 0) throw new AuthError('invalid_input', 'authorization_code needs at least one redirect URI', { field: 'redirectUris' });
  if (!browser && (redirectUris.length > 0 || postLogoutRedirectUris.length > 0)) {
    throw new AuthError('invalid_input', 'redirect URIs belong to clients with the authorization_code grant', { field: 'redirectUris' });
  }
  const defaultScopes = browser ? ['openid', 'profile', 'email', ...(grantTypes.includes('refresh_token') ? ['offline_access'] : [])] : [];
  const scopes = [...new Set(input.scopes ?? defaultScopes)];
  const unknownScope = scopes.find((s) => !isOidcScope(s));
  if (unknownScope !== undefined) {
    throw new AuthError('invalid_input', `unknown scope ${unknownScope} (known: ${OIDC_SCOPES.join(' ')})`, { field: 'scopes' });
  }
  return {
    name,
    grantTypes: grantTypes as ClientGrantType[],
    roles: checkRoles(input.roles ?? []),
    redirectUris,
    postLogoutRedirectUris,
    tokenEndpointAuthMethod,
    scopes,
    consentRequired: input.consentRequired ?? true,
  };
}

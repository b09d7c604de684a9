import type { Action } from '../../core/auth/policy.js';

/**
 * One way to call an operation: without any credential, as a registered OAuth client (HTTP
 * Basic), or with a credential the core's policy lets perform this action.
 */
export type Caller = 'anonymous' | 'oauthClient' | Action;

export interface OperationEntry {
  /** The operationId. Generated clients name their methods after it: never rename one. */
  id: string;
  /**
   * Who may call it, for a route without a {@link requireAuth} guard of its own (a guard says it
   * itself): public routes say `['anonymous']`; routes that authenticate in the handler list
   * every way they accept.
   */
  callers?: readonly Caller[];
  /** The policy lets API keys perform the action, but the operation refuses them anyway. */
  noApiKeys?: true;
  /** A core throttle may refuse it: 429 with Retry-After. */
  throttled?: true;
  /** Reads nothing from the database, so never answers 503 for it. */
  offline?: true;
}

/** Route prefixes whose plugin guards every route with a hook the route options do not show. */
export const GUARDED_PREFIXES: ReadonlyArray<{ prefix: string; action: Action }> = [
  // adminSurface: app.addHook('onRequest', adminGuard(core))
  { prefix: '/v1/admin/', action: 'admin' },
];

const PUBLIC = ['anonymous'] as const;

/**
 * Every documented operation, keyed by `METHOD url` as Fastify spells the route. Building the
 * document (at start-up) fails for a documented route that is missing here, so a new route
 * cannot ship without a name and a stated access rule.
 */
export const OPERATIONS: Readonly<Record<string, OperationEntry>> = {
  // standard
  'GET /.well-known/jwks.json': { id: 'getJwks', callers: PUBLIC },
  'GET /healthz': { id: 'getHealth', callers: PUBLIC, offline: true },
  'GET /readyz': { id: 'getReadiness', callers: PUBLIC },
  // native (seed 002)
  'POST /v1/user': { id: 'nativeRegister', callers: PUBLIC, throttled: true },
  'GET /v1/user/profile': { id: 'nativeGetProfile' },
  'POST /v1/user/address': { id: 'nativeAddAddress' },
  'POST /v1/user/email/verify': { id: 'nativeSendEmailVerification', throttled: true },
  'GET /v1/user/email/verify/:code': { id: 'nativeVerifyEmail', callers: PUBLIC },
  'GET /v1/user/sessions': { id: 'nativeListSessions' },
  'DELETE /v1/user/sessions/:id': { id: 'nativeRevokeSession' },
  'POST /v1/user/password/restore': { id: 'nativeRestorePassword', callers: PUBLIC, throttled: true },
  'POST /v1/user/resendEmail': { id: 'nativeResendEmail', callers: PUBLIC, throttled: true },
  'GET /v1/user/confirm/:code': { id: 'nativeConfirmResetCode', callers: PUBLIC },
  'POST /v1/user/password/reset': { id: 'nativeResetPassword', callers: PUBLIC },
  // a bearer token (the restricted one included), or username and old password without one
  'POST /v1/user/password/change': { id: 'nativeChangePassword', callers: ['password.change', 'anonymous'], throttled: true },
  'POST /v1/auth/login': { id: 'nativeLogin', callers: PUBLIC, throttled: true },
  'POST /v1/auth/token': { id: 'nativeExchangeToken', callers: PUBLIC },
  'POST /v1/auth/refresh': { id: 'nativeRefresh', callers: PUBLIC },
  'POST /v1/auth/logout': { id: 'nativeLogout', callers: PUBLIC },
  'GET /v1/auth/publicKey': { id: 'nativeGetPublicKey', callers: PUBLIC },
  // integration (seed 000)
  'POST /api/Auth/Auth': { id: 'integrationLogin', callers: PUBLIC, throttled: true },
  // auth headers (seed 001)
  'POST /user/login': { id: 'authHeadersLogin', callers: PUBLIC, throttled: true },
  'POST /authheader/add': { id: 'authHeadersAddKey' },
  'GET /authheader/list': { id: 'authHeadersListKeys' },
  'POST /authheader/delete': { id: 'authHeadersDeleteKey' },
  // iot (seed 003)
  'POST /v1/api/auth/token': { id: 'iotToken', callers: PUBLIC, throttled: true },
  // tokenInfo decodes the presented JWT: an API key passes the policy but is a 400 there
  'GET /v1/api/auth/tokenInfo': { id: 'iotTokenInfo', noApiKeys: true },
  'GET /v1/api/auth/me': { id: 'iotMe' },
  // oauth2: client authentication is optional on token and revoke, and the body may carry it too
  'POST /oauth2/token': { id: 'oauth2Token', callers: ['oauthClient', 'anonymous'], throttled: true },
  'POST /oauth2/introspect': { id: 'oauth2Introspect', callers: ['oauthClient', 'token.introspect'] },
  'POST /oauth2/revoke': { id: 'oauth2Revoke', callers: ['oauthClient', 'anonymous'] },
  // the metadata document is built from settings alone: no database, so no 503
  'GET /.well-known/openid-configuration': { id: 'getOpenIdConfiguration', callers: PUBLIC, offline: true },
  'GET /.well-known/oauth-authorization-server': { id: 'getAuthorizationServerMetadata', callers: PUBLIC, offline: true },
  // userinfo takes access tokens of the code flow (openid scope); an API key itself is refused
  'GET /oauth2/userinfo': { id: 'oauth2UserInfo', noApiKeys: true },
  'POST /oauth2/userinfo': { id: 'oauth2UserInfoPost', noApiKeys: true },
  // admin (every route behind the admin guard, see GUARDED_PREFIXES)
  'POST /v1/admin/users': { id: 'adminCreateUser' },
  'GET /v1/admin/users': { id: 'adminListUsers' },
  'GET /v1/admin/users/:id': { id: 'adminGetUser' },
  'PATCH /v1/admin/users/:id': { id: 'adminUpdateUser' },
  'DELETE /v1/admin/users/:id': { id: 'adminDeleteUser' },
  'GET /v1/admin/users/:id/sessions': { id: 'adminListUserSessions' },
  'DELETE /v1/admin/users/:id/sessions/:sessionId': { id: 'adminRevokeUserSession' },
  'POST /v1/admin/accounts': { id: 'adminCreateAccount' },
  'PUT /v1/admin/accounts/:id/members/:userId': { id: 'adminPutAccountMember' },
  'DELETE /v1/admin/accounts/:id/members/:userId': { id: 'adminRemoveAccountMember' },
  'POST /v1/admin/issuers': { id: 'adminCreateIssuer' },
  'GET /v1/admin/issuers': { id: 'adminListIssuers' },
  'PATCH /v1/admin/issuers/:id': { id: 'adminUpdateIssuer' },
  'DELETE /v1/admin/issuers/:id': { id: 'adminDeleteIssuer' },
  'POST /v1/admin/clients': { id: 'adminCreateClient' },
  'GET /v1/admin/clients': { id: 'adminListClients' },
  'DELETE /v1/admin/clients/:id': { id: 'adminDeleteClient' },
  'POST /v1/admin/keys/rotate': { id: 'adminRotateSigningKey' },
  'GET /v1/admin/keys': { id: 'adminListSigningKeys' },
  'GET /v1/admin/audit': { id: 'adminListAudit' },
};

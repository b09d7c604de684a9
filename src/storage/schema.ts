/**
 * Table types for Kysely. Times are epoch milliseconds (BIGINT), booleans are 0/1 integers and
 * lists are JSON text, so the same rows work unchanged on SQLite and PostgreSQL.
 */
import type { BrowserSessionTables } from './browser-session-schema.js';
import type { OidcTables } from './oidc-schema.js';

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  email: string | null;
  name: string | null;
  locale: string | null;
  password_hash: string;
  password_changed_at: number;
  password_expires_at: number | null;
  roles: string;
  email_verified: number;
  terms_accepted: number;
  locked: number;
  created_at: number;
  updated_at: number;
}

export interface UserAddressesTable {
  id: string;
  user_id: string;
  address: string;
  type: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  client: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  last_used_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  /** Absolute end of the session; null for sessions from before 0005. */
  expires_at: number | null;
  /** The API key that bought the session (POST /v1/auth/token), if one did. */
  api_key_id: string | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_pem: string;
  created_at: number;
  retired_at: number | null;
  /** The kid this key took over from (`genesis` for the first); unique: one successor per key. */
  succeeds: string | null;
}

export interface ThrottleCountersTable {
  key: string;
  count: number;
  first_at: number;
  last_at: number;
  expires_at: number;
}

export interface OneTimeCodesTable {
  id: string;
  user_id: string;
  purpose: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AccountsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface AccountMembersTable {
  account_id: string;
  user_id: string;
  role: string;
}

export interface AuditEventsTable {
  id: string;
  at: number;
  type: string;
  user_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  detail: string;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  key_hash: string;
  prefix: string;
  last_four: string;
  encrypted_key: string | null;
  created_at: number;
  last_used_at: number | null;
}

export interface OAuthClientsTable {
  id: string;
  name: string;
  /** Empty for a public client (0010: `token_endpoint_auth_method` none). */
  secret_hash: string;
  grant_types: string;
  roles: string;
  created_at: number;
  /** JSON arrays and the client's browser-flow settings (0010). */
  redirect_uris: string;
  post_logout_redirect_uris: string;
  token_endpoint_auth_method: string;
  scopes: string;
  consent_required: number;
}

export interface TrustedIssuersTable {
  id: string;
  issuer: string;
  audience: string | null;
  jwks: string | null;
  public_key_pem: string | null;
  algorithms: string;
  created_at: number;
  /** 1: tokens without `jti` are refused (0006). */
  require_jti: number;
}

export interface ExternalIdentitiesTable {
  issuer_id: string;
  subject: string;
  user_id: string;
  created_at: number;
}

export interface SeenTokenIdsTable {
  issuer_id: string;
  jti: string;
  expires_at: number;
}

export interface PasswordHistoryTable {
  user_id: string;
  seq: number;
  password_hash: string;
  created_at: number;
}

export interface Database extends OidcTables, BrowserSessionTables {
  users: UsersTable;
  user_addresses: UserAddressesTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  throttle_counters: ThrottleCountersTable;
  one_time_codes: OneTimeCodesTable;
  accounts: AccountsTable;
  account_members: AccountMembersTable;
  audit_events: AuditEventsTable;
  api_keys: ApiKeysTable;
  oauth_clients: OAuthClientsTable;
  trusted_issuers: TrustedIssuersTable;
  external_identities: ExternalIdentitiesTable;
  seen_token_ids: SeenTokenIdsTable;
  password_history: PasswordHistoryTable;
}

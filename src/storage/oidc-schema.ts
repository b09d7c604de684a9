/** The tables of the OpenID Connect code flow (migration 0010), part of `Database` in schema.ts. */

export interface AuthorizationCodesTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  scopes: string;
  nonce: string | null;
  code_challenge: string;
  auth_time: number;
  amr: string;
  browser_session_id: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  issued_session_id: string | null;
  reused_at: number | null;
}

export interface ConsentsTable {
  user_id: string;
  client_id: string;
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface OidcGrantsTable {
  session_id: string;
  client_id: string;
  user_id: string;
  scopes: string;
  auth_time: number;
  amr: string;
  browser_session_id: string | null;
  created_at: number;
}

export interface OidcTables {
  authorization_codes: AuthorizationCodesTable;
  consents: ConsentsTable;
  oidc_grants: OidcGrantsTable;
}

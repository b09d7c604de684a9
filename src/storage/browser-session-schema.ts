/** The tables of browser sessions (migration 0009), part of `Database` in schema.ts. */

export interface BrowserSessionsTable {
  session_id: string;
  secret_hash: string;
  auth_time: number;
  /** JSON array of strings. */
  amr: string;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface BrowserSessionTables {
  browser_sessions: BrowserSessionsTable;
  server_secrets: ServerSecretsTable;
}

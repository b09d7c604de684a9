/** What the scenarios present: access and refresh tokens from real logins, API keys, an OAuth client. */
import { PASSWORD } from '../options.js';

export const ADMIN = { username: 'bench-admin', password: 'bench admin harbor violet 2024' };

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

interface Session {
  access_token: string;
  refresh_token: string;
}

/** One login per username, a few at once (each costs an argon2id verify). */
export async function loginAll(url: string, usernames: string[], password = PASSWORD): Promise<Session[]> {
  const sessions: Session[] = [];
  for (let i = 0; i < usernames.length; i += 8) {
    const batch = usernames.slice(i, i + 8).map((username) => postJson(`${url}/v1/auth/login`, { username, password }));
    sessions.push(...((await Promise.all(batch)) as unknown as Session[]));
  }
  return sessions;
}

/** One API key per session's user (POST /authheader/add). */
export async function apiKeys(url: string, sessions: Session[]): Promise<string[]> {
  const keys: string[] = [];
  for (const session of sessions) {
    const key = await postJson(`${url}/authheader/add`, { name: 'bench' }, { authorization: `Bearer ${session.access_token}` });
    keys.push(key.token as string);
  }
  return keys;
}

/** A confidential client allowed client_credentials, registered by the bootstrap admin. */
export async function oauthClient(url: string): Promise<{ id: string; secret: string }> {
  const [admin] = await loginAll(url, [ADMIN.username], ADMIN.password);
  const client = await postJson(`${url}/v1/admin/clients`, { name: 'bench', grantTypes: ['client_credentials'] }, { authorization: `Bearer ${admin!.access_token}` });
  return { id: client.clientId as string, secret: client.clientSecret as string };
}

/** The current signing keys, to let the bare verify route check Tessera's own tokens. */
export async function jwks(url: string): Promise<unknown> {
  const res = await fetch(`${url}/.well-known/jwks.json`);
  if (!res.ok) throw new Error(`jwks: ${res.status}`);
  return res.json();
}

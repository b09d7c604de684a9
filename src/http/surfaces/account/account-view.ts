import type { BrowserSession } from '../../../core/browser-sessions/browser-session.types.js';
import type { Core } from '../../../core/tessera.js';
import { FIRST_PARTY_CLIENTS } from '../../../core/tokens/token-kinds.js';
import type { Strings } from '../../shared/pages/strings/index.js';
import { loadConsents } from './consents-section.js';

/** A key just created: shown in full this once. */
export interface CreatedKey {
  name: string;
  token: string;
}

const BROWSER_CLIENT: string = FIRST_PARTY_CLIENTS.account;

function when(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Everything the account page shows, read through the core for the signed-in user. */
export async function accountPage(core: Core, session: BrowserSession, t: Strings, extra: { createdKey?: CreatedKey; notice?: string; error?: string } = {}) {
  const { user } = session;
  const [profile, sessions, keys, consents] = await Promise.all([
    core.users.profile(user),
    core.sessions.listSessions(user.id),
    core.apiKeys.list(user.id),
    loadConsents(core, user.id),
  ]);
  return {
    title: t.account.title,
    profile: {
      username: user.username,
      name: user.name ?? '',
      email: user.email ?? '',
      emailVerified: user.emailVerified,
      addresses: profile.addresses.map((a) => `${a.type}: ${a.address}`),
    },
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === session.sessionId,
      client: s.client === BROWSER_CLIENT ? t.account.browserClient : s.client,
      userAgent: s.userAgent ?? '',
      ip: s.ip ?? '',
      createdAt: when(s.createdAt),
      lastUsedAt: when(s.lastUsedAt),
    })),
    keys: keys.map((k) => ({ id: k.id, name: k.name, masked: k.token, createdAt: when(k.createdAt), lastUsedAt: when(k.lastUsedAt) })),
    consents,
    createdKey: extra.createdKey,
    notice: extra.notice,
    error: extra.error,
  };
}

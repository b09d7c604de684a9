import type { FastifyRequest } from 'fastify';
import type { SignedInPerson } from '../../../core/use-cases/authorize.js';
import type { Core } from '../../../core/tessera.js';
import { readBrowserSession } from '../../shared/browser-session.js';

/** The person signed in in this browser, in the core's terms (auth time in epoch ms). */
export async function browserPerson(core: Core, request: FastifyRequest): Promise<SignedInPerson | null> {
  const session = await readBrowserSession(core, request);
  return session && { browserSessionId: session.sessionId, user: session.user, authTime: session.authTime * 1000, amr: session.amr };
}

/** The CSRF binding of the OIDC forms: the browser session, as on the account page. */
export async function sessionBinding(core: Core, request: FastifyRequest): Promise<string> {
  return (await readBrowserSession(core, request))?.sessionId ?? '';
}

/**
 * The query parameter that carries, through the sign-in page and back, when this request sent
 * the person to sign in (epoch ms): a sign-in since then satisfies prompt=login and max_age.
 */
export const FRESH_PARAM = '_fresh';

export function freshAfter(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

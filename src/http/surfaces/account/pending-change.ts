import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/tessera.js';

/**
 * Between a sign-in with an expired password and its change form, the restricted token the core
 * handed out waits in a signed, HttpOnly cookie that only `/signin/password` receives and that
 * lives no longer than the token. It can do one thing: set the new password.
 */
const PATH = '/signin/password';

function name(core: Core): string {
  return core.settings.publicUrl.startsWith('https://') ? '__Secure-tessera-pwchange' : 'tessera-pwchange';
}

export async function keepPendingChange(core: Core, reply: FastifyReply, restrictedToken: string, expiresIn: number): Promise<void> {
  const value = fastifyCookie.sign(restrictedToken, await core.browserSessions.cookieKey());
  const maxAge = Math.max(1, expiresIn);
  void reply.setCookie(name(core), value, { path: PATH, httpOnly: true, sameSite: 'lax', secure: core.settings.publicUrl.startsWith('https://'), maxAge });
}

export async function pendingChange(core: Core, request: FastifyRequest): Promise<string | undefined> {
  const signed = request.cookies[name(core)];
  if (!signed) return undefined;
  const unsigned = fastifyCookie.unsign(signed, await core.browserSessions.cookieKey());
  return unsigned.valid ? unsigned.value : undefined;
}

export function clearPendingChange(core: Core, reply: FastifyReply): void {
  void reply.clearCookie(name(core), { path: PATH, httpOnly: true, sameSite: 'lax', secure: core.settings.publicUrl.startsWith('https://') });
}

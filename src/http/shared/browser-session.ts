import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSession, StartedBrowserSession } from '../../core/browser-sessions/browser-session.types.js';
import type { Core } from '../../core/tessera.js';
import { contextOf } from './request-context.js';

export type { BrowserSession } from '../../core/browser-sessions/browser-session.types.js';

/**
 * The browser session's cookie, for every surface that serves pages (account, oidc). Its value is
 * `<session id>.<256-bit secret>`, signed with HMAC-SHA256 by @fastify/cookie under the key the
 * core keeps in the database (the same on every instance; see docs/security.md). The core checks
 * the secret against its stored hash, the session row (revoked anywhere = signed out here) and
 * both lifetimes. `HttpOnly`, `SameSite=Lax`, `Path=/`, and over https `Secure` with the
 * `__Host-` prefix (no subdomain can set or shadow it). No `Expires`: it is gone when the browser
 * closes, and the server ends it earlier (idle and absolute lifetimes) whatever the browser keeps.
 */
function cookieName(core: Core): string {
  return secure(core) ? '__Host-tessera-session' : 'tessera-session';
}

function secure(core: Core): boolean {
  return core.settings.publicUrl.startsWith('https://');
}

/** One read per request, however many handlers and hooks ask. */
const readThisRequest = new WeakMap<FastifyRequest, Promise<BrowserSession | null>>();

function rawCookie(core: Core, request: FastifyRequest): string | undefined {
  const name = cookieName(core);
  const parsed = (request as { cookies?: Record<string, string | undefined> }).cookies;
  if (parsed) return parsed[name];
  const header = request.headers.cookie;
  return typeof header === 'string' ? fastifyCookie.parse(header)[name] : undefined;
}

/**
 * The browser session of this request, or null: no cookie, a bad signature, an unknown secret, a
 * revoked or expired (idle or absolute) session, or a locked or deleted user.
 */
export function readBrowserSession(core: Core, request: FastifyRequest): Promise<BrowserSession | null> {
  let read = readThisRequest.get(request);
  if (!read) {
    read = readOnce(core, request);
    readThisRequest.set(request, read);
  }
  return read;
}

async function readOnce(core: Core, request: FastifyRequest): Promise<BrowserSession | null> {
  const value = await browserCookieValue(core, request);
  return value === undefined ? null : core.browserSessions.read(value);
}

/** The cookie's value when its signature holds (what the core's read/end take), else undefined. */
export async function browserCookieValue(core: Core, request: FastifyRequest): Promise<string | undefined> {
  const signed = rawCookie(core, request);
  if (!signed) return undefined;
  const unsigned = fastifyCookie.unsign(signed, await core.browserSessions.cookieKey());
  return unsigned.valid && unsigned.value !== null ? unsigned.value : undefined;
}

/** Hands a session just started (sign-in, password change) to the browser. */
export async function setBrowserSessionCookie(core: Core, request: FastifyRequest, reply: FastifyReply, started: StartedBrowserSession): Promise<void> {
  const value = fastifyCookie.sign(started.cookie, await core.browserSessions.cookieKey());
  void reply.header('set-cookie', appendCookie(reply, fastifyCookie.serialize(cookieName(core), value, cookieOptions(core))));
  readThisRequest.set(request, Promise.resolve(started.session));
}

/** Sign-out: revokes the session row (every instance sees it at once) and clears the cookie. */
export async function endBrowserSession(core: Core, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const value = await browserCookieValue(core, request);
  if (value !== undefined) await core.browserSessions.end(value, contextOf(request, 'account'));
  void reply.header('set-cookie', appendCookie(reply, fastifyCookie.serialize(cookieName(core), '', { ...cookieOptions(core), expires: new Date(0) })));
  readThisRequest.set(request, Promise.resolve(null));
}

function cookieOptions(core: Core) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secure(core) };
}

/** Keeps Set-Cookie headers already on the reply (the CSRF cookie, say). */
function appendCookie(reply: FastifyReply, cookie: string): string[] {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  return [...list, cookie];
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageError } from './page-error.js';

/** The hidden field every state-changing form carries: `<input type="hidden" name="_csrf">`. */
export const CSRF_FIELD = '_csrf';

const NONCE = /^[A-Za-z0-9_-]{43}$/;

/**
 * CSRF protection for every page form, signed in or not (the reset form has no session).
 *
 * Two independent checks, both on every state-changing request:
 * 1. Where the request comes from: `Sec-Fetch-Site` must be `same-origin` (or `none`, a request
 *    the user made directly) and an `Origin` header, when sent, must be PUBLIC_URL's origin. Every
 *    current browser sends one or both on a form POST; a cross-site POST is refused before the body
 *    is looked at.
 * 2. A double-submit token, for browsers that send neither header: a random nonce in an
 *    `HttpOnly`, `SameSite=Lax` cookie (`__Host-` prefixed over https, so a sibling subdomain
 *    cannot plant one) and, in the form, HMAC-SHA256(COOKIE_SECRET, binding, nonce). Another site
 *    can neither read the cookie nor compute the field. The binding is `''` without a session; a
 *    signed-in page passes the browser session's id, so a token works only in the session it was
 *    made for. Compared in constant time.
 */
export class CsrfProtection {
  readonly cookieName: string;
  private readonly secure: boolean;
  private readonly origin: string;

  constructor(
    private readonly key: Buffer,
    publicUrl: string,
  ) {
    this.secure = publicUrl.startsWith('https://');
    this.cookieName = this.secure ? '__Host-tessera-csrf' : 'tessera-csrf';
    this.origin = new URL(publicUrl).origin;
  }

  /**
   * The token for a form on this page; sets the nonce cookie when the browser has none yet (an
   * existing one is kept, so several tabs work at once).
   */
  token(request: FastifyRequest, reply: FastifyReply, binding = ''): string {
    let nonce = this.nonceOf(request);
    if (!nonce) {
      nonce = randomBytes(32).toString('base64url');
      void reply.setCookie(this.cookieName, nonce, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure });
    }
    return this.sign(binding, nonce);
  }

  /** Throws a 403 PageError unless the request passes both checks (see the class). */
  check(request: FastifyRequest, submitted: unknown, binding = ''): void {
    if (!this.sameOrigin(request)) throw new PageError(403, 'csrf');
    const nonce = this.nonceOf(request);
    if (!nonce || typeof submitted !== 'string') throw new PageError(403, 'csrf');
    const expected = Buffer.from(this.sign(binding, nonce));
    const given = Buffer.from(submitted);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new PageError(403, 'csrf');
  }

  /** Fetch metadata and Origin, when the browser sends them, name this server. */
  sameOrigin(request: FastifyRequest): boolean {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
    const origin = request.headers.origin;
    return origin === undefined || origin === this.origin;
  }

  private nonceOf(request: FastifyRequest): string | undefined {
    const value = request.cookies[this.cookieName];
    return value !== undefined && NONCE.test(value) ? value : undefined;
  }

  private sign(binding: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`tessera-csrf\0${binding}\0${nonce}`).digest('base64url');
  }
}

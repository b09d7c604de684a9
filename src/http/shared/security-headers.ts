import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every API answer: it is data, never a document, so nothing may
 * load from it, submit from it or frame it (ASVS 5.0 3.4.3, 3.4.6; OWASP REST cheat sheet).
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; object-src 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The policy of the Swagger UI pages under /docs: its own scripts and styles only (no inline
 * script, no eval), calls to this server only, never framed. `upgrade-insecure-requests` only
 * when the server is served over https, or a plain-http development server would break its own
 * page.
 */
export function docsContentSecurityPolicy(publicUrl: string): string {
  const https = publicUrl.startsWith('https://');
  const directives = [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${new URL(publicUrl).origin}`,
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** The API policy above as helmet 8 spelled it (no space after `;`): answers stay byte-identical. */
const API_CSP_HEADER = API_CONTENT_SECURITY_POLICY.replaceAll('; ', ';');

/**
 * The headers of every answer, computed once: helmet 8's defaults (COOP and CORP same-origin,
 * Origin-Agent-Cluster, nosniff, X-DNS-Prefetch-Control off, X-Download-Options noopen,
 * X-Frame-Options SAMEORIGIN, X-Permitted-Cross-Domain-Policies none, X-XSS-Protection 0) with
 * Referrer-Policy no-referrer and the API policy above, plus HSTS for a year with subdomains only
 * when PUBLIC_URL is https: over plain http the header is meaningless, and on localhost it would
 * pin a developer's browser. (@fastify/helmet rebuilt this set on every request: 2-6 % of a read.)
 * Routes that serve documents (/docs, the pages) replace the CSP and Referrer-Policy in their own
 * hooks. Fastify sends no X-Powered-By.
 */
export function securityHeaders(publicUrl: string): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': API_CSP_HEADER,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(publicUrl.startsWith('https://') ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  });
}

/** Sets {@link securityHeaders} on every answer (a root hook, so every surface inherits it). */
export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  const headers = securityHeaders(publicUrl);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}

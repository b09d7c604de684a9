import type { FastifyHelmetOptions } from '@fastify/helmet';

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

/**
 * Helmet's headers (nosniff, Referrer-Policy no-referrer, no X-Powered-By, ...) plus the API
 * policy above, and HSTS for a year with subdomains only when PUBLIC_URL is https: over plain
 * http the header is meaningless, and on localhost it would pin a developer's browser.
 */
export function helmetOptions(publicUrl: string): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}

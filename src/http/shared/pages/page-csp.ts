/**
 * The Content-Security-Policy of every HTML page: scripts, styles and images from this server
 * only, none inline (no `'unsafe-inline'`, no nonces: the pages carry no inline code at all, so
 * an injected `<script>` or `style=` attribute does nothing); forms post only to this server;
 * never framed (clickjacking). `upgrade-insecure-requests` only over https, or a plain-http
 * development server would break its own page.
 */
export function pageContentSecurityPolicy(publicUrl: string): string {
  const directives = [
    "default-src 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    "style-src-attr 'none'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(publicUrl.startsWith('https://') ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

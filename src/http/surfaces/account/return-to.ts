/** Where a sign-in goes when `return_to` is missing or not a path on this server. */
export const DEFAULT_RETURN_TO = '/account';

/**
 * `return_to` if it is a path on this server, else `/account`: it must start with one `/`
 * (`//host` and `/\host` are other hosts to a browser), hold no backslash, no scheme, no control
 * character or space (a browser strips tabs and newlines: `/\t/evil`), and stay under 2 KiB. An
 * open redirect after a sign-in is a phishing tool; this is its only way out.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return DEFAULT_RETURN_TO;
  if (!value.startsWith('/') || value.startsWith('//')) return DEFAULT_RETURN_TO;
  if (value.includes('\\') || [...value].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return DEFAULT_RETURN_TO;
  // A browser resolves the path against this server; anything naming another origin is refused.
  const resolved = new URL(value, 'http://tessera.invalid');
  if (resolved.origin !== 'http://tessera.invalid') return DEFAULT_RETURN_TO;
  return value;
}

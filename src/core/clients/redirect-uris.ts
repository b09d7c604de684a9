import { AuthError } from '../errors.js';

/** Loopback hosts of RFC 8252 section 7.3 (and `localhost`, section 8.3 allows it, not recommended). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const MAX_URI = 2000;
const MAX_URIS = 20;

function parsed(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * A redirect URI as it may be registered: absolute, no fragment (RFC 6749 section 3.1.2), no
 * user info; `https`, `http` only on loopback (RFC 8252 section 7.3), or a private-use scheme
 * of a native app with a dot in it (`com.example.app:/callback`, section 7.1). Answers the list
 * deduplicated, in the order given.
 */
export function checkRedirectUris(uris: readonly string[], field: string): string[] {
  if (uris.length > MAX_URIS) throw new AuthError('invalid_input', `at most ${MAX_URIS} URIs`, { field });
  for (const uri of uris) {
    const url = uri.length <= MAX_URI ? parsed(uri) : undefined;
    const reason = !url
      ? 'is not an absolute URI'
      : uri.includes('#')
        ? 'must not have a fragment'
        : url.username || url.password
          ? 'must not carry user information'
          : url.protocol === 'https:' || isLoopbackHttp(url) || (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol) && uri.length > url.protocol.length)
            ? undefined
            : 'must be https, http on a loopback address, or a private-use scheme such as com.example.app:';
    if (reason) throw new AuthError('invalid_input', `redirect URI ${JSON.stringify(uri.slice(0, 100))} ${reason}`, { field });
  }
  return [...new Set(uris)];
}

/**
 * Whether `presented` is one of `registered`: simple string comparison (RFC 9700 section
 * 2.1), except that for an `http` loopback URI the port may differ (RFC 8252 section 7.3: a
 * native app listens on whatever port the system gives it). Scheme, host, path and query
 * must still be exactly the registered ones.
 */
export function redirectUriMatches(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  const url = parsed(presented);
  if (!url || !isLoopbackHttp(url) || presented.includes('#')) return false;
  return registered.some((candidate) => {
    const known = parsed(candidate);
    return known !== undefined && isLoopbackHttp(known) && withoutPort(candidate) === withoutPort(presented);
  });
}

/** The URI text with its port removed, so the comparison stays on the characters given. */
function withoutPort(uri: string): string {
  return uri.replace(/^(http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost))(?::\d+)?/, '$1');
}

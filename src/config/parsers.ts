/** Parsers for configuration values: each returns the value or throws a message saying what it accepts. */

export type Parser<T> = (raw: string) => T;

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected a whole number from ${min} to ${max}`);
    const value = Number(raw.trim());
    if (value < min || value > max) throw new Error(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

export function oneOf<const T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    const value = raw.trim() as T;
    if (!values.includes(value)) throw new Error(`expected one of ${values.join(', ')}`);
    return value;
  };
}

export const text: Parser<string> = (raw) => raw;

export const httpUrl: Parser<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('expected an http:// or https:// URL');
  return url.toString().replace(/\/+$/, '');
};

/** Listening on every interface: a client on this machine reaches it as localhost. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The URL a client on this machine reaches a server listening on `host:port` at: the default
 * issuer, so tokens, discovery and links name the address the server really answers on.
 */
export function localUrl(port: number, host: string): string {
  if (port === 0) throw new Error('must be set when PORT=0 (the port is chosen only when the server listens)');
  const name = host.trim();
  const shownHost = WILDCARD_HOSTS.has(name) ? 'localhost' : name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return `http://${shownHost}:${port}`;
}

export const smtpUrl: Parser<string> = (raw) => {
  if (!/^smtps?:\/\/[^/]+/.test(raw.trim())) throw new Error('expected smtp://host:port or smtps://user:pass@host:port');
  return raw.trim();
};

export const redisUrl: Parser<string> = (raw) => {
  if (!/^rediss?:\/\/[^/]+/.test(raw.trim())) throw new Error('expected redis://host:port');
  return raw.trim();
};

export const databaseUrl: Parser<string> = (raw) => {
  const value = raw.trim();
  if (!/^sqlite:.+/.test(value) && !/^postgres(ql)?:\/\/.+/.test(value)) {
    throw new Error('expected sqlite:<path> or postgres://user@host:port/database');
  }
  return value;
};

/** 32 bytes given as 64 hex digits or as base64/base64url. */
export const key256: Parser<Buffer> = (raw) => {
  const value = raw.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (bytes.length !== 32) throw new Error('expected 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)');
  return bytes;
};

/** Fastify's trustProxy: false, true, or a comma-separated list of proxy addresses/CIDRs. */
export const trustProxy: Parser<boolean | string[]> = (raw) => {
  const value = raw.trim();
  if (value === 'false') return false;
  if (value === 'true') return true;
  const list = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (list.length === 0 || list.some((v) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(v))) {
    throw new Error('expected false, true, or comma-separated proxy addresses/CIDRs');
  }
  return list;
};

/** `scheme://host[:port]` as a browser sends it in `Origin`, or undefined when `raw` is anything more or less. */
function exactOrigin(raw: string): string | undefined {
  if (!/^https?:\/\/[^/?#@*]+\/?$/i.test(raw)) return undefined;
  try {
    const url = new URL(raw);
    return /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A comma-separated list of exact browser origins (`https://app.example`, port when not the
 * default): no wildcard, no `null`, no path, no credentials. Each is normalized as browsers
 * send it (lower-case host, default port dropped).
 */
export const originList: Parser<string[]> = (raw) => {
  const items = raw.split(',').map((v) => v.trim()).filter(Boolean);
  const origins = items.map(exactOrigin);
  if (items.length === 0 || origins.some((o) => o === undefined)) {
    throw new Error('expected comma-separated origins such as https://app.example (scheme, host and optional port; no path or wildcard)');
  }
  return origins as string[];
};

export const credentialsPair: Parser<{ username: string; password: string }> = (raw) => {
  const at = raw.indexOf(':');
  if (at <= 0 || at === raw.length - 1) throw new Error('expected username:password');
  return { username: raw.slice(0, at), password: raw.slice(at + 1) };
};

/** A CSS colour as six hex digits (`#1d4ed8`): the only form allowed, so it cannot carry CSS of its own. */
export const hexColor: Parser<string> = (raw) => {
  const value = raw.trim();
  if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new Error('expected a colour as #rrggbb');
  return value.toLowerCase();
};

/** A short single-line name shown on pages and in mails. */
export const displayName: Parser<string> = (raw) => {
  const value = raw.trim();
  if (value.length < 1 || value.length > 60 || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new Error('expected 1 to 60 printable characters on one line');
  return value;
};

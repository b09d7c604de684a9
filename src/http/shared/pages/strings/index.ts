import { en, type Strings } from './en.js';

export type { Strings } from './en.js';

/** Every locale the pages speak; the first is the fallback. Add a locale here and in its own file. */
export const LOCALES: Readonly<Record<string, Strings>> = { en };

const FALLBACK = en;

/**
 * The strings for a locale: the user's `locale` when known (`de-CH` also finds `de`), then the
 * browser's Accept-Language, then English.
 */
export function stringsFor(locale?: string | null, acceptLanguage?: string): Strings {
  for (const tag of [locale, ...acceptedTags(acceptLanguage)]) {
    const found = tag ? lookup(tag) : undefined;
    if (found) return found;
  }
  return FALLBACK;
}

function lookup(tag: string): Strings | undefined {
  const lower = tag.trim().toLowerCase();
  return LOCALES[lower] ?? LOCALES[lower.split('-')[0]!];
}

/** `de-CH,de;q=0.9,en;q=0.5` -> tags by falling weight; at most 8 looked at. */
function acceptedTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 8)
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag);
}

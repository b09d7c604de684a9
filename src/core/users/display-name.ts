/**
 * How a user's name is shown, once for every surface. The seeds type their name fields as strings
 * (seed 002's profile `name`, seed 001's `Firstname`/`Lastname`), and a strict client breaks on
 * `null`, so a user without a name is shown by their username, and every surface splits the same
 * shown name the same way.
 */
import type { User } from './user.types.js';

export interface NameParts {
  /** Never empty. */
  first: string;
  /** Empty for a one-word name; never null. */
  last: string;
}

/** After a comma these are a suffix of the name, not its given name: "Carol Smith, Jr.". */
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds']);

/** Commas (and spaces) at either end: a stray one carries no part of the name. */
const EDGE_COMMAS = /^[\s,]+|[\s,]+$/gu;

/**
 * The shown name: the stored name with its whitespace runs (line breaks and tabs of an imported
 * name, full-width spaces) collapsed to one space and trimmed; the username when there is no name
 * or it is blank. Always a non-empty string.
 */
export function displayName(user: Pick<User, 'name' | 'username'>): string {
  const name = collapse(user.name ?? '');
  return name || collapse(user.username) || user.username;
}

/**
 * The shown name as a first and a last name (seed 001). "Last, First" (one comma, text on both
 * sides, and what follows it is no suffix such as "Jr.") gives first = the part after the comma,
 * last = the part before it: "Smith, Carol" is Carol / Smith. Otherwise the first word is the
 * first name and the rest the last name: "Mary Ann van Dyke" is Mary / Ann van Dyke, a single
 * word is the first name with an empty last name. Commas at the ends are dropped.
 */
export function nameParts(user: Pick<User, 'name' | 'username'>): NameParts {
  const full = displayName(user);
  const comma = full.indexOf(',');
  if (comma !== -1) {
    const last = full.slice(0, comma).trim();
    const first = full.slice(comma + 1).trim();
    if (last && first && !isSuffix(first)) return { first, last };
  }
  const bare = full.replace(EDGE_COMMAS, '') || full;
  const space = bare.indexOf(' ');
  if (space === -1) return { first: bare, last: '' };
  const first = bare.slice(0, space).replace(/,+$/u, '') || bare.slice(0, space);
  return { first, last: bare.slice(space + 1).replace(EDGE_COMMAS, '') };
}

function collapse(text: string): string {
  return text.split(/\s+/u).filter(Boolean).join(' ');
}

function isSuffix(text: string): boolean {
  return SUFFIXES.has(text.replace(/\./gu, '').toLowerCase());
}

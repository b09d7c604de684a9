import type { Strings } from './strings/index.js';

/** Which of the error texts in `Strings['errors']` a page error shows. */
export type PageErrorKind = 'badRequest' | 'forbidden' | 'csrf' | 'notFound' | 'tooMany' | 'unavailable' | 'internal';

/**
 * A refusal a page handler (or the CSRF check) throws; the pages' error handler renders it as
 * an HTML page with this status, in the visitor's language. Never carries user input.
 */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly kind: PageErrorKind,
  ) {
    super(kind);
    this.name = 'PageError';
  }
}

export function isPageError(error: unknown): error is PageError {
  return error instanceof PageError;
}

/** The error kind a status falls under, for errors raised outside the page handlers. */
export function kindOfStatus(status: number): PageErrorKind {
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 429) return 'tooMany';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'badRequest';
}

/** Heading and sentence of an error page. */
export function errorText(t: Strings, kind: PageErrorKind): { title: string; message: string } {
  if (kind === 'csrf') return { title: t.errors.csrfTitle, message: t.errors.csrf };
  return { title: t.errors.title, message: t.errors[kind] };
}

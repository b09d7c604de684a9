/**
 * Page forms without a browser: fetch a page, keep its CSRF cookie and hidden token, post a form
 * back with chosen headers. For the CSRF and error-page tests that need exact control of Origin
 * and Sec-Fetch-Site (a browser test covers the same with a real cross-site page).
 */
import type { TestApp } from './test-app.js';

export interface FormPage {
  status: number;
  html: string;
  /** `name=value` of the CSRF cookie the page set (or that was sent). */
  cookie: string;
  /** The hidden `_csrf` field of the page's form. */
  token: string;
}

export function hiddenToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF field in the page:\n${html}`);
  return match[1]!;
}

/** GET a page (optionally with a cookie it set before) and read its CSRF cookie and token. */
export async function openForm(t: TestApp, url: string, cookie?: string): Promise<FormPage> {
  const res = await t.request('GET', url, { headers: cookie ? { cookie } : {} });
  const set = res.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  const given = first ? first.split(';')[0]! : cookie;
  if (!given) throw new Error(`no CSRF cookie from ${url}`);
  return { status: res.statusCode, html: res.body, cookie: given, token: hiddenToken(res.body) };
}

/** POST a urlencoded form; the headers say where it comes from (a browser would set them). */
export function postForm(t: TestApp, url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return t.request('POST', url, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The headers of a same-origin form post from `origin` (Chromium sends both). */
export function sameOrigin(origin: string, cookie: string): Record<string, string> {
  return { origin, 'sec-fetch-site': 'same-origin', cookie };
}

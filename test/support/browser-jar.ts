/**
 * A browser's cookie jar for page tests without a browser: keeps what Set-Cookie set (and drops
 * what it expired), sends it back, and posts forms with the page's CSRF token as Chromium would
 * (same-origin Origin and Sec-Fetch-Site).
 */
import type { LightMyRequestResponse } from 'fastify';
import { hiddenToken } from './page-forms.js';
import type { TestApp } from './test-app.js';

export class CookieJar {
  readonly cookies = new Map<string, string>();

  take(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    for (const line of set === undefined ? [] : Array.isArray(set) ? set : [set]) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A visitor of the pages at `origin` (PUBLIC_URL of the test app). */
export class Visitor {
  readonly jar = new CookieJar();
  constructor(
    private readonly t: TestApp,
    readonly origin = 'http://tessera.test',
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.jar.take(await this.t.request('GET', url, { headers: { cookie: this.jar.header() } }));
  }

  /** POSTs a form with the token of the page at `formUrl` (fetched first), from this origin. */
  async submit(formUrl: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const page = await this.get(formUrl);
    return this.post(action, { _csrf: hiddenToken(page.body), ...fields }, headers);
  }

  async post(action: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.jar.take(
      await this.t.request('POST', action, {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: this.origin,
          'sec-fetch-site': 'same-origin',
          cookie: this.jar.header(),
          ...headers,
        },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** Signs in through the form; answers the 303. */
  signIn(username: string, password: string, returnTo?: string): Promise<LightMyRequestResponse> {
    return this.submit('/signin', '/signin', { username, password, ...(returnTo === undefined ? {} : { return_to: returnTo }) });
  }
}

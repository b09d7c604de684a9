import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_FIELD, CsrfProtection } from './csrf.js';
import { pageContentSecurityPolicy } from './page-csp.js';
import { stringsFor, type Strings } from './strings/index.js';

/** What the pages are configured with (PUBLIC_URL, PRODUCT_NAME, BRAND_COLOR, COOKIE_SECRET). */
export interface PageOptions {
  publicUrl: string;
  productName: string;
  /** `#rrggbb`, validated by the config parser (it is written into /assets/theme.css). */
  accentColor: string;
  /** The HMAC key of CSRF tokens and session cookies. */
  cookieSecret: Buffer;
}

/** What every template receives besides its own data. */
export interface PageContext {
  t: Strings;
  lang: string;
  product: string;
  /** The page's CSRF token and the name of its hidden field: `<input type="hidden" name="<%= it.csrfField %>" value="<%= it.csrf %>">`. */
  csrf: string;
  csrfField: string;
}

/** A page's own data; `title` becomes `<title>` and the `<h1>`. */
export interface PageData {
  title: string;
  [name: string]: unknown;
}

export interface RenderOptions {
  /** The user's `locale` when known; otherwise Accept-Language, then English. */
  locale?: string | null | undefined;
  /** Binds the form's CSRF token to a browser session (its id); '' or absent without one. */
  binding?: string | undefined;
}

/**
 * The shared page machinery one server builds once and hands to every surface that serves HTML
 * (pages, oidc): configuration, CSRF, CSP and rendering in the visitor's language.
 */
export class PageKit {
  readonly csrf: CsrfProtection;
  readonly csp: string;

  constructor(readonly options: PageOptions) {
    this.csrf = new CsrfProtection(options.cookieSecret, options.publicUrl);
    this.csp = pageContentSecurityPolicy(options.publicUrl);
  }

  strings(request: FastifyRequest, locale?: string | null): Strings {
    const accept = request.headers['accept-language'];
    return stringsFor(locale, typeof accept === 'string' ? accept : undefined);
  }

  /** An absolute URL on this server, built from PUBLIC_URL (never from the request's Host). */
  url(path: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}${path}`;
  }

  /**
   * Renders `views/<view>.eta` inside `views/layout.eta` and answers the HTML (set the status
   * with `reply.code()` first). `data` may be computed from the strings of the visitor's locale.
   * Return its result from the handler: `return kit.render(request, reply, 'reset/form', (t) => ({ title: t.reset.title }))`.
   */
  async render(request: FastifyRequest, reply: FastifyReply, view: string, data: PageData | ((t: Strings) => PageData), options: RenderOptions = {}): Promise<string> {
    const t = this.strings(request, options.locale);
    const own = typeof data === 'function' ? data(t) : data;
    const context: PageContext = { t, lang: t.lang, product: this.options.productName, csrf: this.csrf.token(request, reply, options.binding), csrfField: CSRF_FIELD };
    const html = await reply.viewAsync(view, { ...own, ...context });
    void reply.type('text/html; charset=utf-8');
    return html;
  }
}

/**
 * /docs is Tessera's page, not the framework's, and needs nothing the CSP it is sent with does
 * not grant: every script and stylesheet comes from this server as a file (no inline script, no
 * inline style, no event-handler attribute), the logo and favicon are Tessera's own SVG, and
 * nothing refers to another host. (No browser here: the page and every asset it references are
 * fetched and read.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_FAVICON, DOCS_LOGO } from '../../src/http/shared/docs-theme.js';
import { docsContentSecurityPolicy } from '../../src/http/shared/security-headers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ORIGIN = 'http://tessera.test'; // createTestApp's PUBLIC_URL
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** The CSP as directive -> sources. */
function policy(header: unknown): Map<string, string[]> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

async function get(url: string) {
  const res = await t.request('GET', url);
  expect(res.statusCode, url).toBe(200);
  return res;
}

describe.each(['/docs', '/docs/'])('GET %s', (page) => {
  it('is served under the docs policy, which grants no inline script or style', async () => {
    const res = await get(page);
    expect(res.headers['content-security-policy']).toBe(docsContentSecurityPolicy(ORIGIN));
    const csp = policy(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('has nothing inline that the policy would block', async () => {
    const html = (await get(page)).body;
    expect(html).toContain('<title>Tessera API</title>');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, body] of scripts) {
      expect(attributes, 'every script is a file').toMatch(/\bsrc="/);
      expect(body!.trim(), 'and has no inline body').toBe('');
    }
    expect(html, 'no <style> element').not.toMatch(/<style\b/i);
    expect(html, 'no style attribute').not.toMatch(/\sstyle\s*=/i);
    expect(html, 'no event-handler attribute').not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('loads every script, stylesheet and icon from this server, and the icon is Tessera\'s', async () => {
    const html = (await get(page)).body;
    const refs = [...html.matchAll(/<(script|link)\b[^>]*?\b(?:src|href)="([^"]+)"[^>]*>/gi)].map(([tag, kind, ref]) => ({ tag, kind: kind!, ref: ref! }));
    expect(refs.length).toBeGreaterThanOrEqual(5);
    const base = new URL(page, ORIGIN);
    for (const { tag, kind, ref } of refs) {
      const url = new URL(ref, base);
      expect(url.origin, ref).toBe(ORIGIN);
      const res = await get(url.pathname);
      const type = String(res.headers['content-type']);
      if (kind === 'script') expect(type, ref).toMatch(/javascript/);
      else if (/rel="stylesheet"/.test(tag)) {
        expect(type, ref).toMatch(/^text\/css/);
        for (const [, target] of res.body.matchAll(/url\(\s*['"]?([^'")]+)/g)) expect(target, `${ref} url()`).toMatch(/^(data:|#|[^:]*$)/);
        expect(res.body, `${ref} @import`).not.toMatch(/@import/);
      } else {
        expect(tag, 'the only other link is the icon').toMatch(/rel="icon"/);
        expect(type).toBe('image/svg+xml');
        expect(res.rawPayload.equals(DOCS_FAVICON)).toBe(true);
      }
    }
    expect(html, "swagger's own favicons").not.toMatch(/favicon-(16|32)x\1\.png/);
  });
});

describe('the Swagger UI initializer', () => {
  it('puts Tessera\'s logo in the top bar as a data: image and calls no third party', async () => {
    const js = (await get('/docs/static/swagger-initializer.js')).body;
    expect(js).toContain(`data:image/svg+xml;base64,${DOCS_LOGO.toString('base64')}`);
    expect(DOCS_LOGO.toString()).toContain('Tessera');
    expect(js).toMatch(/validatorUrl: null/);
    // no absolute URL at all outside comments: everything it loads is relative to this page
    expect(js.replace(/^\s*\/\/.*$/gm, '')).not.toMatch(/https?:\/\//);
    expect(js).not.toMatch(/\beval\(|new Function/);
  });
});

describe('the document the page renders', () => {
  it('has no description whose markdown would need an inline style', async () => {
    const doc = (await get('/docs/json')).body;
    expect(doc).not.toMatch(/style=/i);
    // aligned markdown tables render as <td style="text-align:...">
    expect(doc).not.toMatch(/\|\s*:?-{3,}:\s*\|/);
  });
});

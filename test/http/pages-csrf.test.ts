/**
 * CSRF on page forms, without a browser (test/browser/ covers a real cross-site page): each of
 * the two checks refuses on its own. The reset-request form stands for every state-changing
 * page form: they all use the same csrfGuard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openForm, postForm, sameOrigin } from '../support/page-forms.js';
import { createTestApp, registerUser, type TestApp } from '../support/test-app.js';

const ORIGIN = 'http://tessera.test';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t, 'csrf.owner', undefined, { email: 'csrf.owner@example.com' });
});
afterAll(() => t?.close());

const resetMails = async () => (await t.mails()).filter((m) => /reset/i.test(m.subject ?? '')).length;

describe('CSRF on page forms', () => {
  it('accepts a same-origin post with the cookie and the token of its form', async () => {
    const before = await resetMails();
    const form = await openForm(t, '/reset');
    const res = await postForm(t, '/reset', { _csrf: form.token, email: 'csrf.owner@example.com' }, sameOrigin(ORIGIN, form.cookie));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your mail');
    expect(await resetMails()).toBe(before + 1);
  });

  it('refuses a foreign Origin even with a valid cookie and token', async () => {
    const before = await resetMails();
    const form = await openForm(t, '/reset');
    const res = await postForm(t, '/reset', { _csrf: form.token, email: 'csrf.owner@example.com' }, { origin: 'https://evil.example', cookie: form.cookie });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('This form could not be sent');
    expect(await resetMails()).toBe(before);
  });

  it('refuses Sec-Fetch-Site cross-site and same-site, and Origin null', async () => {
    const form = await openForm(t, '/reset');
    const fields = { _csrf: form.token, email: 'csrf.owner@example.com' };
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }] as Array<Record<string, string>>) {
      expect((await postForm(t, '/reset', fields, { ...headers, cookie: form.cookie })).statusCode).toBe(403);
    }
  });

  it('refuses a same-origin post without the token, with a wrong one, or without the cookie', async () => {
    const form = await openForm(t, '/reset');
    const email = 'csrf.owner@example.com';
    expect((await postForm(t, '/reset', { email }, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(403);
    const wrong = `${form.token.slice(0, -2)}${form.token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await postForm(t, '/reset', { _csrf: wrong, email }, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(403);
    expect((await postForm(t, '/reset', { _csrf: form.token, email }, { origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(403);
    // The token of another browser's cookie does not fit this cookie.
    const other = await openForm(t, '/reset');
    expect((await postForm(t, '/reset', { _csrf: other.token, email }, sameOrigin(ORIGIN, form.cookie))).statusCode).toBe(403);
  });

  it('keeps the cookie a browser already has, so several tabs work at once', async () => {
    const first = await openForm(t, '/reset');
    const second = await openForm(t, '/reset', first.cookie);
    expect(second.cookie).toBe(first.cookie);
    const res = await postForm(t, '/reset', { _csrf: first.token, email: 'nobody@example.com' }, sameOrigin(ORIGIN, first.cookie));
    expect(res.statusCode).toBe(200);
  });
});

describe('page answers', () => {
  it('serves pages with the strict CSP: no inline script or style, forms to self, never framed', async () => {
    const res = await t.request('GET', '/reset');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|https?:\/\//);
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=|\son\w+=/i);
    expect(res.headers['cache-control']).toBe('no-store');
    // same-origin, not no-referrer: under no-referrer Chromium posts the pages' own forms with Origin: null
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('answers a malformed form with an HTML 400 page, never JSON or a 500', async () => {
    const form = await openForm(t, '/reset');
    const bad = await t.request('POST', '/reset', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin(ORIGIN, form.cookie) },
      body: `_csrf=${form.token}&email=%ZZ`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    const json = await t.request('POST', '/reset', { headers: { 'content-type': 'application/json', origin: ORIGIN }, body: { email: 'x@example.com' } });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    expect(json.headers['content-type']).toMatch(/^text\/html/);
  });

  it('serves the branding stylesheet from configuration', async () => {
    const branded = await createTestApp({ BRAND_COLOR: '#0F766E', PRODUCT_NAME: 'Acme ID' });
    try {
      expect((await branded.request('GET', '/assets/theme.css')).body).toContain('--accent: #0f766e');
      expect((await branded.request('GET', '/reset')).body).toContain('<title>Send a new reset link · Acme ID</title>');
    } finally {
      await branded.close();
    }
  });
});

/**
 * Browser tests: playwright-core driving Debian's Chromium (never a downloaded browser).
 *
 *     const browser = useBrowser();            // inside describeBrowser(...)
 *     const page = browser.page();             // a fresh context and page per test
 *     await page.goto(url);
 *     await browser.expectAccessible();        // axe-core: no serious or critical violation
 *
 * Every test fails on any console error or uncaught page error (a CSP violation is one), and a
 * failing test leaves a screenshot in test-results/screenshots/. Without /usr/bin/chromium the
 * suite is skipped, visibly, on a developer's machine, and fails when CI=true.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { PROJECT_ROOT } from './server-process.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Screenshots of failed tests (git-ignored). */
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'screenshots');

const available = existsSync(CHROMIUM_PATH);
const required = process.env.CI === 'true';

/**
 * `describe` for browser suites: skipped with a warning when Chromium is missing, except in CI,
 * where the suite runs and its launch fails.
 */
export function describeBrowser(name: string, suite: () => void): void {
  if (available || required) {
    describe(name, suite);
    return;
  }
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM_PATH})`, suite);
}

export function launchChromium(): Promise<Browser> {
  if (!available) throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (CI=true requires it)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

/**
 * Runs axe-core in the page and answers the serious and critical violations. axe is injected by
 * an init script (run by the browser itself, outside the page's CSP, which forbids any script
 * not served by Tessera), so the page is tested under its real policy.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const document = (globalThis as unknown as { document: unknown }).document;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface BrowserFixture {
  page(): Page;
  context(): BrowserContext;
  browser(): Browser;
  /** Console errors and page errors seen so far in this test. */
  errors(): string[];
  /** Fails the test on any serious or critical axe violation of the current page. */
  expectAccessible(): Promise<void>;
  /** Clears the console errors expected by the test (e.g. a 403 page's own status line). */
  forgetErrors(match: RegExp): void;
}

/** Registers the hooks of a browser suite: one Chromium per file, one context per test. */
export function useBrowser(options: { viewport?: { width: number; height: number } } = {}): BrowserFixture {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    errors = [];
    context = await browser!.newContext({ viewport: options.viewport ?? { width: 1024, height: 800 } });
    await context.addInitScript({ content: axeSource });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  });
  afterEach(async (ctx) => {
    try {
      if (ctx.task.result?.state === 'fail' && page) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const name = ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 80);
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
      }
      expect(errors, 'console errors in the page').toEqual([]);
    } finally {
      await context?.close();
    }
  });

  return {
    page: () => page!,
    context: () => context!,
    browser: () => browser!,
    errors: () => errors,
    forgetErrors(match) {
      errors = errors.filter((e) => !match.test(e));
    },
    async expectAccessible() {
      const found = await seriousViolations(page!);
      const summary = found.map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      expect(summary, `axe violations on ${page!.url()}`).toEqual([]);
    },
  };
}

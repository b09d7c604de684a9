/**
 * Screenshots of the pages for the README: `npx tsx scripts/screenshots.ts` (not part of npm
 * test). Starts the real server with a real SMTP listener, drives Debian's Chromium through each
 * page and writes docs/screenshots/<name>.png. To add a page, add an entry to SHOTS: `run` brings
 * the page to the state to show (it may use the API and the mails), then the page is captured.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { codeFromMail } from '../test/support/outbox.js';
import { launchChromium } from '../test/support/browser.js';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { startSmtpListener, type SmtpListener } from '../test/support/smtp-listener.js';

export interface ShotContext {
  server: ServerProcess;
  smtp: SmtpListener;
  /** JSON API call on the running server. */
  api: (method: string, path: string, body?: unknown, token?: string) => Promise<Record<string, unknown>>;
  /** The link of the next mail to `to` that holds `path` (e.g. '/reset/'). */
  mailedLink: (to: string, path: string) => Promise<string>;
}

export interface Shot {
  name: string;
  run(page: Page, ctx: ShotContext): Promise<void>;
}

const PASSWORD = 'violet anchor mango 4417';
let resetLink = '';

export const SHOTS: Shot[] = [
  { name: 'reset-request', run: async (page, { server }) => void (await page.goto(`${server.url}/reset`)) },
  {
    name: 'reset',
    run: async (page, { api, mailedLink }) => {
      await api('POST', '/v1/user', { username: 'ada', password: PASSWORD, email: 'ada@example.com' });
      await mailedLink('ada@example.com', '/verify-email/');
      await api('POST', '/v1/user/password/restore', { email: 'ada@example.com' });
      resetLink = await mailedLink('ada@example.com', '/reset/');
      await page.goto(resetLink);
    },
  },
  {
    name: 'reset-done',
    run: async (page) => {
      await page.getByLabel('New password', { exact: true }).fill('quiet lantern orbit 9083');
      await page.getByLabel('New password again').fill('quiet lantern orbit 9083');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    },
  },
  { name: 'reset-used-link', run: async (page) => void (await page.goto(resetLink)) },
  {
    name: 'verify-email',
    run: async (page, { api, mailedLink }) => {
      await api('POST', '/v1/user', { username: 'grace', password: PASSWORD, email: 'grace@example.com' });
      await page.goto(await mailedLink('grace@example.com', '/verify-email/'));
    },
  },
  {
    name: 'verify-email-done',
    run: async (page) => {
      await page.getByRole('button', { name: 'Confirm my address' }).click();
      await page.getByRole('heading', { name: 'Email address confirmed' }).waitFor();
    },
  },
  {
    name: 'signin',
    run: async (page, { api, server }) => {
      await api('POST', '/v1/user', { username: 'linus', password: PASSWORD, name: 'Linus Pauling' });
      await page.goto(`${server.url}/signin?return_to=%2Faccount`);
    },
  },
  {
    name: 'account',
    run: async (page, { api }) => {
      await api('POST', '/v1/auth/login', { username: 'linus', password: PASSWORD });
      await page.getByLabel('Username').fill('linus');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Name of the new key').fill('deploy');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByLabel('API key', { exact: true }).waitFor();
    },
  },
];

async function main(): Promise<void> {
  const out = new URL('../docs/screenshots/', import.meta.url);
  mkdirSync(out, { recursive: true });
  const smtp = await startSmtpListener();
  const server = await startServer({ env: { SMTP_URL: smtp.url, EMAIL_VERIFICATION: 'true', LOG_LEVEL: 'warn', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  const browser = await launchChromium();
  try {
    const ctx: ShotContext = {
      server,
      smtp,
      async api(method, path, body, token) {
        const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
        if (token) headers.authorization = `Bearer ${token}`;
        const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return (await res.json().catch(() => ({}))) as Record<string, unknown>;
      },
      async mailedLink(to, path) {
        for (;;) {
          const mail = await smtp.waitForMail(to);
          if (mail.text?.includes(path)) return `${server.url}${path}${codeFromMail(mail, path)}`;
        }
      },
    };
    const page = await (await browser.newContext({ viewport: { width: 900, height: 640 }, deviceScaleFactor: 1 })).newPage();
    for (const shot of SHOTS) {
      await shot.run(page, ctx);
      await page.screenshot({ path: new URL(`${shot.name}.png`, out).pathname, fullPage: true });
      process.stdout.write(`docs/screenshots/${shot.name}.png\n`);
    }
  } finally {
    await browser.close();
    await server.stop();
    await smtp.close();
  }
}

await main();

/**
 * The README's "Sign in to your app" example (docs/examples/oidc-app.mjs) run as it is: a
 * separate Node process with openid-client, a person signing in in Chromium, greeted by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowser } from '../support/browser.js';
import { freePort, PROJECT_ROOT, startServer, type ServerProcess } from '../support/server-process.js';

const PASSWORD = 'harbor violet ember 6150';

describeBrowser('the README example app', () => {
  let server: ServerProcess;
  let example: ChildProcess | undefined;
  const browser = useBrowser();

  beforeAll(async () => {
    server = await startServer({ env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', TESSERA_BOOTSTRAP_ADMIN: `root:${PASSWORD}` } });
  });
  afterAll(async () => {
    example?.kill('SIGTERM');
    await server?.stop();
  });

  const post = async (path: string, body: unknown, token?: string) =>
    (await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as Record<string, string>;

  it('signs a person in and greets them', async () => {
    const admin = (await post('/v1/auth/login', { username: 'root', password: PASSWORD })).access_token;
    await post('/v1/user', { username: 'gina', password: PASSWORD, name: 'Gina' });
    const appUrl = `http://127.0.0.1:${await freePort()}`;
    const { clientId } = await post(
      '/v1/admin/clients',
      { name: 'Example app', grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none', redirectUris: [`${appUrl}/callback`], consentRequired: false },
      admin,
    );
    const child = spawn(process.execPath, ['docs/examples/oidc-app.mjs'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TESSERA_URL: server.url, APP_URL: appUrl, CLIENT_ID: clientId! },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    example = child;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('app on') && resolve());
      child.once('exit', (code) => reject(new Error(`example exited ${code}: ${stderr}`)));
    });

    const page = browser.page();
    await page.goto(appUrl);
    await page.getByRole('link', { name: 'Sign in with Tessera' }).click();
    await page.waitForURL(/\/signin\?/);
    await page.getByLabel('Username').fill('gina');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${appUrl}/callback?**`);
    expect(await page.textContent('body')).toMatch(/^Hello Gina \([0-9a-f-]{36}\)/);
  });
});

/**
 * Secret canaries: a full flow against the real process at LOG_LEVEL=trace, with every secret it
 * handles collected as a canary (passwords, right and wrong; access, refresh and reset tokens;
 * the mailed code; an API key; a client secret). Then neither the process output nor the audit
 * trail served at /v1/admin/audit may contain any of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startSmtpListener, type SmtpListener } from '../support/smtp-listener.js';

const ADMIN_PASSWORD = 'canary-admin-Qx7!vultures-orbit';
const PASSWORD = 'canary-pw-Zebra#8841-marmalade';
const WRONG_PASSWORD = 'canary-wrong-Heron$5521-teapot';
const NEW_PASSWORD = 'canary-new-Ocelot%3319-lantern';
const NEWER_PASSWORD = 'canary-newer-Walrus&7702-kettle';
const EMAIL = 'canary.user@example.com';

/** name -> secret; every value must stay out of the log and the audit trail. */
const canaries = new Map<string, string>(
  Object.entries({ ADMIN_PASSWORD, PASSWORD, WRONG_PASSWORD, NEW_PASSWORD, NEWER_PASSWORD }),
);

/** Keeps a secret as a canary: in full, and for a JWT also its signature (a log could cut the rest). */
function canary(name: string, value: unknown): string {
  expect(typeof value, name).toBe('string');
  const secret = value as string;
  canaries.set(name, secret);
  const parts = secret.split('.');
  if (parts.length === 3) canaries.set(`${name} (signature)`, parts[2]!);
  return secret;
}

let smtp: SmtpListener;
let server: ServerProcess;

beforeAll(async () => {
  smtp = await startSmtpListener();
  server = await startServer({ env: { SMTP_URL: smtp.url, LOG_LEVEL: 'trace', TESSERA_BOOTSTRAP_ADMIN: `root:${ADMIN_PASSWORD}` } });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

async function call(method: string, path: string, options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(options.json)];
  if (options.form) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(options.form).toString()];
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the status and text tell
  }
  return { status: res.status, json, text };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

describe('secrets never reach the log or the audit trail (real process, LOG_LEVEL=trace)', { timeout: 120_000 }, () => {
  let admin: string;

  it('logs in on every surface, refreshes, and fails a login', async () => {
    admin = canary('admin access token', (await call('POST', '/v1/auth/login', { json: { username: 'root', password: ADMIN_PASSWORD } })).json.access_token);
    const reg = await call('POST', '/v1/user', { json: { username: EMAIL, password: PASSWORD } });
    expect(reg.status, reg.text).toBe(200);
    canary('registration access token', reg.json.access_token);
    const firstRefresh = canary('registration refresh token', reg.json.refresh_token);

    const native = await call('POST', '/v1/auth/login', { json: { username: EMAIL, password: PASSWORD } });
    canary('login access token', native.json.access_token);
    canary('login refresh token', native.json.refresh_token);
    const integration = await call('POST', '/api/Auth/Auth', { json: { login: EMAIL, password: PASSWORD } });
    canary('/api/Auth/Auth access token', integration.json.accessToken);
    canary('/api/Auth/Auth refresh token', integration.json.refreshToken);
    canary('/user/login token', (await call('POST', '/user/login', { json: { username: EMAIL, password: PASSWORD } })).json.Token);
    canary('/v1/api/auth/token token', (await call('POST', '/v1/api/auth/token', { json: { username: EMAIL, password: PASSWORD } })).json.token);
    const grant = await call('POST', '/oauth2/token', { form: { grant_type: 'password', username: EMAIL, password: PASSWORD } });
    canary('password grant access token', grant.json.access_token);
    canary('password grant refresh token', grant.json.refresh_token);

    const rotated = await call('POST', '/v1/auth/refresh', { json: { token: firstRefresh } });
    expect(rotated.status, rotated.text).toBe(200);
    canary('rotated access token', rotated.json.access_token);
    canary('rotated refresh token', rotated.json.refresh_token);
    expect((await call('POST', '/v1/auth/refresh', { json: { token: firstRefresh } })).status).toBe(401); // reuse: logged, revoked
    expect((await call('POST', '/v1/auth/login', { json: { username: EMAIL, password: WRONG_PASSWORD } })).status).toBe(401);
  });

  it('creates and uses an API key and an OAuth client', async () => {
    const user = canary('user access token', (await call('POST', '/v1/auth/login', { json: { username: EMAIL, password: PASSWORD } })).json.access_token);
    const key = canary('API key', (await call('POST', '/authheader/add', { json: { name: 'canary key' }, headers: bearer(user) })).json.token);
    expect((await call('GET', '/v1/user/profile', { headers: { 'x-api-key': key } })).status).toBe(200);
    const exchanged = await call('POST', '/v1/auth/token', { json: { token: key } });
    expect(exchanged.status, exchanged.text).toBe(200);
    canary('exchanged access token', exchanged.json.access_token);
    canary('exchanged refresh token', exchanged.json.refresh_token);

    const client = await call('POST', '/v1/admin/clients', { json: { name: 'canary client' }, headers: bearer(admin) });
    expect(client.status, client.text).toBe(201);
    const clientId = client.json.clientId as string;
    const secret = canary('client secret', client.json.clientSecret);
    const issued = await call('POST', '/oauth2/token', { form: { grant_type: 'client_credentials' }, headers: basic(clientId, secret) });
    expect(issued.status, issued.text).toBe(200);
    canary('client access token', issued.json.access_token);
    const wrongSecret = canary('wrong client secret', `${secret.slice(0, -4)}XXXX`);
    expect((await call('POST', '/oauth2/token', { form: { grant_type: 'client_credentials' }, headers: basic(clientId, wrongSecret) })).status).toBe(401);
    const introspected = await call('POST', '/oauth2/introspect', { form: { token: user }, headers: basic(clientId, secret) });
    expect(introspected.json.active).toBe(true);
  });

  it('resets the password by mail and changes it', async () => {
    expect((await call('POST', '/v1/user/password/restore', { json: { email: EMAIL } })).status).toBe(200);
    const code = canary('mailed code', codeFromMail(await smtp.waitForMail(EMAIL)));
    const confirm = await call('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
    const resetToken = canary('reset token', confirm.json.token);
    expect((await call('POST', '/v1/user/password/reset', { json: { token: resetToken, password: NEW_PASSWORD } })).status).toBe(200);
    const changed = await call('POST', '/v1/user/password/change', { json: { username: EMAIL, oldPassword: NEW_PASSWORD, password: NEWER_PASSWORD } });
    expect(changed.status, changed.text).toBe(200);
    canary('change access token', changed.json.access_token);
    canary('change refresh token', changed.json.refresh_token);
  });

  it('serves an audit trail without any of them', async () => {
    const audit = await call('GET', '/v1/admin/audit?limit=500', { headers: bearer(admin) });
    expect(audit.status).toBe(200);
    const types = (audit.json.events as { type: string }[]).map((e) => e.type);
    expect(types.length).toBeLessThan(500); // the whole trail, not a page of it
    expect(types).toEqual(expect.arrayContaining(['login.failed', 'password.reset', 'password.changed']));
    for (const [name, secret] of canaries) expect(audit.text.includes(secret), `${name} in /v1/admin/audit`).toBe(false);
  });

  it('wrote none of them to stdout or stderr', async () => {
    expect(await server.stop()).toBe(0);
    const output = server.stdout() + server.stderr();
    expect(output).toContain('/v1/user/password/reset'); // the log is there, so its silence means something
    expect(canaries.size).toBeGreaterThanOrEqual(30);
    for (const [name, secret] of canaries) expect(output.includes(secret), `${name} in the server output`).toBe(false);
  });
});

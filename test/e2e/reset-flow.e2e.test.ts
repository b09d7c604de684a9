/**
 * The password-reset flow against the real process over real HTTP, with the mail delivered to a
 * real SMTP server: register, restore, mail, confirm, reset, then the old password and the old
 * refresh token are dead and no secret reached the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startSmtpListener, type SmtpListener } from '../support/smtp-listener.js';

const PUBLIC_URL = 'https://auth.tessera.example';
const EMAIL = 'reset.flow@example.com';
const OLD_PASSWORD = 'violet anchor mango 4417';
const NEW_PASSWORD = 'quiet lantern orbit 9083';

let smtp: SmtpListener;
let server: ServerProcess;

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: left empty, the status tells
  }
  return { status: res.status, headers: res.headers, json, text };
}

const login = (password: string) => call('POST', '/v1/auth/login', { username: EMAIL, password });

// Every secret the flow handles, to look for in the server's output at the end.
const secrets: Record<string, string> = { OLD_PASSWORD, NEW_PASSWORD };

beforeAll(async () => {
  smtp = await startSmtpListener();
  // trace: the most talkative level, so a leak anywhere in the logging shows.
  server = await startServer({ env: { SMTP_URL: smtp.url, PUBLIC_URL, LOG_LEVEL: 'trace', MAIL_FROM: 'Tessera <auth@tessera.example>' } });
});

afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

describe('password reset over HTTP and SMTP (real process)', () => {
  let firstRefresh: string;
  let userId: string;
  let code: string;
  let resetToken: string;

  it('registers a user and logs in with the first password', async () => {
    const reg = await call('POST', '/v1/user', { username: EMAIL, password: OLD_PASSWORD });
    expect(reg.status).toBe(200);
    firstRefresh = reg.json.refresh_token as string;
    secrets.firstRefresh = firstRefresh;
    const profile = await call('GET', '/v1/user/profile', undefined, reg.json.access_token as string);
    expect(profile.status).toBe(200);
    userId = profile.json.id as string;
    expect((await login(OLD_PASSWORD)).status).toBe(200);
  });

  it('answers restore the same for an unknown address and mails the account', async () => {
    const unknown = await call('POST', '/v1/user/password/restore', { email: 'nobody.here@example.com' });
    const known = await call('POST', '/v1/user/password/restore', { email: EMAIL });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(unknown.json).toEqual({ email: 'nobody.here@example.com' });
    expect(known.json).toEqual({ email: EMAIL });

    const mail = await smtp.waitForMail(EMAIL, 10_000);
    expect(mail.subject).toMatch(/reset/i);
    expect(mail.from?.text).toContain('auth@tessera.example');
    // The link is built from PUBLIC_URL, not from the Host the request came in on.
    expect(mail.text).toContain(`${PUBLIC_URL}/reset/`);
    expect(mail.text).not.toContain(server.url);
    code = codeFromMail(mail);
    secrets.code = code;
    // >= 128 bits in base64url: at least 22 characters of [A-Za-z0-9_-].
    expect(code).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it('trades the mailed code for a reset token, once', async () => {
    const confirm = await call('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
    expect(confirm.status).toBe(200);
    resetToken = confirm.json.token as string;
    secrets.resetToken = resetToken;
    expect(resetToken).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Date.parse(confirm.json.expiresAt as string)).toBeGreaterThan(Date.now());

    const again = await call('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('resets the password with the token, once', async () => {
    const reset = await call('POST', '/v1/user/password/reset', { token: resetToken, password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect(reset.json).toEqual({ userId });

    const again = await call('POST', '/v1/user/password/reset', { token: resetToken, password: 'another fine pass 5521' });
    expect(again.status).toBe(400);
  });

  it('logs in with the new password only, and the old refresh token is dead', async () => {
    const fresh = await login(NEW_PASSWORD);
    expect(fresh.status).toBe(200);
    expect(typeof fresh.json.access_token).toBe('string');

    const old = await login(OLD_PASSWORD);
    expect(old.status).toBe(401);
    expect(old.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const refresh = await call('POST', '/v1/auth/refresh', { token: firstRefresh });
    expect(refresh.status).toBe(401);
  });

  it('never wrote the passwords, the code, the reset token or the refresh token to its output', async () => {
    expect(await server.stop()).toBe(0);
    const output = server.stdout() + server.stderr();
    // The log is there (trace level, requests logged), so its silence about secrets means something.
    expect(output).toContain('/v1/user/password/reset');
    expect(output).toContain('/v1/user/confirm/[REDACTED]');
    expect(Object.keys(secrets)).toEqual(['OLD_PASSWORD', 'NEW_PASSWORD', 'firstRefresh', 'code', 'resetToken']);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(output.includes(secret), `${name} appears in the server output`).toBe(false);
    }
  });

  it('mailed the account one reset mail and the password-changed notice, and the unknown address never', async () => {
    // A graceful stop waits for every background mail task, so nothing is still on its way here.
    expect(await server.stop()).toBe(0);
    expect(smtp.mailsTo('nobody.here@example.com')).toHaveLength(0);
    expect(smtp.received.map((r) => [r.rcptTo, r.mail.subject])).toEqual([
      [[EMAIL], 'Reset your password'],
      [[EMAIL], 'Your password was changed'],
    ]);
  });
});

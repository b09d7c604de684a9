import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromMail } from '../support/outbox.js';
import { startSmtpListener, type ReceivedMail, type SmtpListener } from '../support/smtp-listener.js';
import { createTestApp, registerUser, STRONG_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * The mailed code stays whole in the raw message, not only after decoding: a code that shared a
 * line with text or a link was cut by quoted-printable's soft line breaks (`=` + CRLF every 76
 * characters), so a client that reads the source, or one that decodes it badly, got half a code.
 * And a mail that ends an earlier code says so. Real app, real SMTP listener, real nodemailer.
 */
const EMAIL = 'raw.mail@example.com';
/** Long enough that the link lines pass 76 characters: the body must then be quoted-printable. */
const LONG_PUBLIC_URL = `https://auth.${'very-long-subdomain.'.repeat(3)}tessera.example/identity`;

let smtp: SmtpListener;
let t: TestApp;
let token: string;

beforeAll(async () => {
  smtp = await startSmtpListener();
  t = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: LONG_PUBLIC_URL, MAIL_RATE_PER_ADDRESS: '100' });
  token = (await registerUser(t, 'raw-mail-user', STRONG_PASSWORD, { email: EMAIL })).access_token;
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** The raw body of a message (after the header block), split into its lines as sent. */
function rawBodyLines(message: ReceivedMail): string[] {
  const at = message.raw.search(/\r?\n\r?\n/);
  return message.raw.slice(at).replace(/^\r?\n\r?\n/, '').split(/\r?\n/);
}

function transferEncoding(message: ReceivedMail): string | undefined {
  return /^content-transfer-encoding:\s*(\S+)/im.exec(message.raw)?.[1]?.toLowerCase();
}

const post = (url: string, body?: unknown) => t.request('POST', url, { ...(body === undefined ? {} : { body }), token });
const confirm = (code: string) => t.request('GET', `/v1/user/confirm/${encodeURIComponent(code)}`);

describe('the raw reset mail (real SMTP)', () => {
  let first: ReceivedMail;
  let firstCode: string;

  it('puts the code on a line of its own, whole in the raw quoted-printable source', async () => {
    expect((await post('/v1/user/password/restore', { email: EMAIL })).statusCode).toBe(200);
    first = await smtp.waitForMessage(EMAIL);
    firstCode = codeFromMail(first.mail);
    expect(firstCode).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // The long link made the body quoted-printable, and its line was soft-broken in the source ...
    expect(transferEncoding(first)).toBe('quoted-printable');
    const lines = rawBodyLines(first);
    expect(lines.some((l) => l.endsWith('='))).toBe(true);
    expect(first.raw).not.toContain(`${LONG_PUBLIC_URL}/reset/${firstCode}`);
    // ... but the code has a raw line to itself, unencoded and unbroken.
    expect(lines).toContain(firstCode);
    // The decoded text has it on its own line too, after the line that announces it.
    expect(first.mail.text).toMatch(new RegExp(`code \\(valid 30 minutes, once\\):\\n\\n${firstCode}\\n`));
    expect(first.mail.text).not.toMatch(/replaces/);
  });

  it('a second request says that it replaces the first mail, whose code then no longer works', async () => {
    expect((await post('/v1/user/resendEmail', { email: EMAIL })).statusCode).toBe(200);
    const second = await smtp.waitForMessage(EMAIL);
    const secondCode = codeFromMail(second.mail);
    expect(secondCode).not.toBe(firstCode);
    expect(rawBodyLines(second)).toContain(secondCode);
    const text = (second.mail.text ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('This mail replaces the reset mail sent to you earlier: the code and the link in that mail no longer work.');
    // What it says is what happens.
    expect((await confirm(firstCode)).statusCode).toBe(400);
    expect((await confirm(secondCode)).statusCode).toBe(200);
  });

  it('a mail after the earlier code was used replaces nothing, and says nothing of it', async () => {
    expect((await post('/v1/user/resendEmail', { email: EMAIL })).statusCode).toBe(200);
    const third = await smtp.waitForMessage(EMAIL);
    expect(third.mail.text).not.toMatch(/replaces/);
    expect(rawBodyLines(third)).toContain(codeFromMail(third.mail));
  });
});

describe('the raw verification mail (real SMTP)', () => {
  it('puts the code on its own line, and the second says it replaces the first', async () => {
    expect((await post('/v1/user/email/verify')).statusCode).toBe(200);
    const first = await smtp.waitForMessage(EMAIL);
    const firstCode = codeFromMail(first.mail, '/verify-email/');
    expect(rawBodyLines(first)).toContain(firstCode);
    expect(first.mail.text).not.toMatch(/replaces/);

    expect((await post('/v1/user/email/verify')).statusCode).toBe(200);
    const second = await smtp.waitForMessage(EMAIL);
    const secondCode = codeFromMail(second.mail, '/verify-email/');
    expect(rawBodyLines(second)).toContain(secondCode);
    expect((second.mail.text ?? '').replace(/\s+/g, ' ')).toContain('This mail replaces the confirmation mail sent to you earlier');
    expect((await t.request('GET', `/v1/user/email/verify/${firstCode}`)).statusCode).toBe(400);
    expect((await t.request('GET', `/v1/user/email/verify/${secondCode}`)).statusCode).toBe(200);
  });
});

describe('the raw .eml of the outbox (no SMTP_URL)', () => {
  it('holds the code on a line of its own', async () => {
    const local = await createTestApp();
    try {
      await registerUser(local, 'outbox-user', STRONG_PASSWORD, { email: 'outbox@example.com' });
      await local.request('POST', '/v1/user/password/restore', { body: { email: 'outbox@example.com' } });
      const [mail] = await local.mails();
      const code = codeFromMail(mail!);
      const files = (await readdir(local.outbox)).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const raw = await readFile(join(local.outbox, files[0]!), 'latin1');
      expect(raw.split(/\r?\n/)).toContain(code);
    } finally {
      await local.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MAIL_LINE, resetMail } from '../../src/core/recovery/recovery-mail.js';
import { smtpMailer } from '../../src/infra/mail/smtp-mailer.js';
import { startSmtpListener, type SmtpListener } from '../support/smtp-listener.js';

/**
 * The SMTP mailer (real nodemailer) to a real SMTP listener: a code of any length up to the
 * longest quoted-printable line, in the reset mail, arrives whole on a raw line of its own; and a
 * text that is mostly not Latin is still quoted-printable (nodemailer would pick base64, which
 * hides the code from the raw source).
 */
let smtp: SmtpListener;
let mailer: ReturnType<typeof smtpMailer>;
beforeAll(async () => {
  smtp = await startSmtpListener();
  mailer = smtpMailer(smtp.url, 'Tessera <auth@tessera.example>');
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
});

const rawLines = (raw: string) => raw.split(/\r?\n/);
const LONG_URL = `https://${'a-rather-long-host-name.'.repeat(4)}example/auth`;

describe('the raw source keeps the code whole', () => {
  const CODES = {
    'the 32 characters Tessera issues': 'Zx9_-Qk3LmN0pR7sT1uV5wX8yA2bC4dE',
    [`a long code of ${MAX_MAIL_LINE} characters`]: 'k-_9'.repeat(MAX_MAIL_LINE).slice(0, MAX_MAIL_LINE),
  };
  for (const [label, code] of Object.entries(CODES)) {
    it(`${label}, with a link long enough to make the body quoted-printable`, async () => {
      const to = `code-${code.length}@example.test`;
      await mailer.send(resetMail({ to, publicUrl: LONG_URL, code, ttlMinutes: 30, replacesEarlier: true }));
      const message = await smtp.waitForMessage(to);
      expect(message.raw).toMatch(/content-transfer-encoding: quoted-printable/i);
      expect(rawLines(message.raw)).toContain(code);
      expect(message.mail.text).toContain(`\n${code}\n`);
    });
  }

  it('a text of mostly non-Latin letters is quoted-printable, not base64', async () => {
    const code = 'Zx9_-Qk3LmN0pR7sT1uV5wX8yA2bC4dE';
    await mailer.send({ to: 'cyrillic@example.test', subject: 'Сброс пароля', text: `Ваш код для сброса пароля:\n\n${code}\n\nЕсли это были не вы, ничего не делайте.` });
    const message = await smtp.waitForMessage('cyrillic@example.test');
    expect(message.raw).toMatch(/content-transfer-encoding: quoted-printable/i);
    expect(rawLines(message.raw)).toContain(code);
  });
});

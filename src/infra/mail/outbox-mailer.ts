import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger, Mailer, MailMessage } from '../../core/ports.js';
import { newId } from '../../core/secrets.js';
import { makeFolders } from '../make-folders.js';
import { mailOptions } from './mail-options.js';

/**
 * Without SMTP_URL, each mail is written as an .eml file to the outbox folder and announced in
 * the log (recipient, subject and file; never the body, which holds a code).
 */
export function outboxMailer(dir: string, from: string, logger: Logger): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message: MailMessage) {
      const info = await transport.sendMail(mailOptions(from, message));
      makeFolders(dir);
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${newId()}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      logger.info({ to: message.to, subject: message.subject, file }, 'mail written to outbox (SMTP_URL is not set)');
    },
    close: () => transport.close(),
  };
}

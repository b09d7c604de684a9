import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from '../../core/ports.js';
import { mailOptions } from './mail-options.js';

/** Sends mail through the SMTP server of `SMTP_URL` (`smtp://` or `smtps://`, credentials in the URL). */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message: MailMessage) {
      await transport.sendMail(mailOptions(from, message));
    },
    close: () => transport.close(),
  };
}

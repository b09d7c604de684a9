import type { MailMessage } from '../../core/ports.js';

/**
 * What nodemailer is handed for a message, by every mailer, so a mailed code stays whole in the
 * raw source (core/recovery/recovery-mail.ts puts it on a line of its own):
 * - the text's lines end in CRLF (RFC 5322). nodemailer's quoted-printable then wraps each line
 *   on its own and leaves one of up to 74 characters unbroken; with bare LF it wraps the text as
 *   one run, and a soft break (`=` + CRLF) may land inside a short line, code included.
 * - text that is not 7bit is quoted-printable, never base64: nodemailer picks base64 for text
 *   that is mostly not Latin letters (a translated mail), which hides the code in the source.
 */
export function mailOptions(from: string, message: MailMessage) {
  return { from, ...message, text: message.text.replace(/\r?\n/g, '\r\n'), textEncoding: 'quoted-printable' as const };
}

import type { MailMessage } from '../ports.js';

/**
 * The longest line quoted-printable carries unbroken: RFC 2045 6.7 allows 76 characters, and
 * nodemailer counts the CRLF in them. A longer line gets soft line breaks (`=` at the end of a
 * line), which would cut a code in the raw message. So a code stands on a line of its own, and
 * every line of prose is at most this long; with no long line at all (a short PUBLIC_URL) the
 * body goes out as plain 7bit text. Codes are 32 characters.
 */
export const MAX_MAIL_LINE = 74;

/** What a mail that carries a one-time code says. */
export interface CodeMail {
  to: string;
  publicUrl: string;
  code: string;
  ttlMinutes: number;
  /**
   * True when issuing this code ended a live code of an earlier mail (restore and resendEmail
   * both do: the earlier code then no longer works), so the mail says it replaces that one.
   */
  replacesEarlier: boolean;
}

function link(publicUrl: string, path: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}${encodeURIComponent(code)}`;
}

/** The password-reset mail. Links are built from the configured public URL, never a request's Host. */
export function resetMail(mail: CodeMail): MailMessage {
  return {
    to: mail.to,
    subject: 'Reset your password',
    text: [
      'Someone asked to reset the password of the account that uses this address.',
      ...replacement(mail, 'reset mail'),
      '',
      `Your reset code (valid ${mail.ttlMinutes} minutes, once):`,
      '',
      mail.code,
      '',
      'Or confirm the reset with this link:',
      '',
      link(mail.publicUrl, '/v1/user/confirm/', mail.code),
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

export function verificationMail(mail: CodeMail): MailMessage {
  return {
    to: mail.to,
    subject: 'Confirm your email address',
    text: [
      'Confirm this address for your account.',
      ...replacement(mail, 'confirmation mail'),
      '',
      `Your confirmation code (valid ${mail.ttlMinutes} minutes):`,
      '',
      mail.code,
      '',
      'Or confirm it with this link:',
      '',
      link(mail.publicUrl, '/v1/user/email/verify/', mail.code),
    ].join('\n'),
  };
}

/** The sentence of a mail whose code ended the code of an earlier one. */
function replacement(mail: CodeMail, kind: string): string[] {
  if (!mail.replacesEarlier) return [];
  return ['', `This mail replaces the ${kind} sent to you earlier: the code and`, 'the link in that mail no longer work. Use the ones below.'];
}

/** Told after every password change or reset, so an owner learns of a change they did not make. */
export function passwordChangedMail(to: string, publicUrl: string, how: 'changed' | 'reset'): MailMessage {
  const restore = `${publicUrl.replace(/\/+$/, '')}/v1/user/password/restore`;
  return {
    to,
    subject: 'Your password was changed',
    text: [
      how === 'reset'
        ? 'The password of the account that uses this address was reset by mail. Every session and API key of the account has been ended.'
        : 'The password of the account that uses this address was changed. Every other session of the account has been ended.',
      '',
      `If it was not you, reset your password at once (POST ${restore} with this address).`,
    ].join('\n'),
  };
}

import type { MailMessage } from '../ports.js';

/** The password-reset mail. Links are built from the configured public URL, never a request's Host. */
export function resetMail(to: string, publicUrl: string, code: string, ttlMinutes: number): MailMessage {
  const link = `${publicUrl.replace(/\/+$/, '')}/v1/user/confirm/${encodeURIComponent(code)}`;
  return {
    to,
    subject: 'Reset your password',
    text: [
      'Someone asked to reset the password of the account that uses this address.',
      '',
      `Confirm the reset here (valid ${ttlMinutes} minutes, once): ${link}`,
      `Or use this code: ${code}`,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

export function verificationMail(to: string, publicUrl: string, code: string, ttlMinutes: number): MailMessage {
  const link = `${publicUrl.replace(/\/+$/, '')}/v1/user/email/verify/${encodeURIComponent(code)}`;
  return {
    to,
    subject: 'Confirm your email address',
    text: [`Confirm this address for your account (valid ${ttlMinutes} minutes): ${link}`, `Or use this code: ${code}`].join('\n'),
  };
}

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

import type { MailMessage } from '../ports.js';
import { composeMail, type MailBlock } from './mail-layout.js';

export { MAX_MAIL_LINE } from './mail-layout.js';

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
  /** PRODUCT_NAME, heading the mail. */
  productName?: string | undefined;
}

/** The pages the mails link to (served by the pages surface; built from PUBLIC_URL). */
export const MAIL_PATHS = { reset: '/reset/', verify: '/verify-email/', requestReset: '/reset' } as const;

function link(publicUrl: string, path: string, code = ''): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}${encodeURIComponent(code)}`;
}

const DEFAULT_PRODUCT = 'Tessera';

/**
 * The password-reset mail. Links are built from the configured public URL, never a request's
 * Host. The link opens the reset page; the code is in the mail too, for API clients
 * (`GET /v1/user/confirm/{code}`) and for typing by hand.
 */
export function resetMail(mail: CodeMail): MailMessage {
  const product = mail.productName ?? DEFAULT_PRODUCT;
  return composeMail(mail.to, 'Reset your password', product, [
    { text: `Someone asked to reset the password of the ${product} account that uses this address.` },
    ...replacement(mail, 'reset mail'),
    { text: 'Set a new password with this link:' },
    { link: link(mail.publicUrl, MAIL_PATHS.reset, mail.code), label: 'Set a new password' },
    { text: `Your reset code (valid ${mail.ttlMinutes} minutes, once):` },
    { code: mail.code },
    { text: 'If it was not you, ignore this mail: your password stays as it is.' },
  ]);
}

/**
 * The address-verification mail. The link opens a page with a button: opening it verifies
 * nothing (mail scanners open links), pressing the button does.
 */
export function verificationMail(mail: CodeMail): MailMessage {
  const product = mail.productName ?? DEFAULT_PRODUCT;
  return composeMail(mail.to, 'Confirm your email address', product, [
    { text: `Confirm this address for your ${product} account.` },
    ...replacement(mail, 'confirmation mail'),
    { text: 'Open this link and press the button to confirm it:' },
    { link: link(mail.publicUrl, MAIL_PATHS.verify, mail.code), label: 'Confirm my address' },
    { text: `Your confirmation code (valid ${mail.ttlMinutes} minutes):` },
    { code: mail.code },
    { text: 'If you did not create this account, ignore this mail.' },
  ]);
}

/** The sentence of a mail whose code ended the code of an earlier one. */
function replacement(mail: CodeMail, kind: string): MailBlock[] {
  if (!mail.replacesEarlier) return [];
  return [{ text: `This mail replaces the ${kind} sent to you earlier: the code and the link in that mail no longer work. Use the ones below.` }];
}

/** Told after every password change or reset, so an owner learns of a change they did not make. */
export function passwordChangedMail(to: string, publicUrl: string, how: 'changed' | 'reset', productName = DEFAULT_PRODUCT): MailMessage {
  return composeMail(to, 'Your password was changed', productName, [
    {
      text:
        how === 'reset'
          ? `The password of the ${productName} account that uses this address was reset by mail. Every session and API key of the account has been ended.`
          : `The password of the ${productName} account that uses this address was changed. Every other session of the account has been ended.`,
    },
    { text: 'If it was not you, reset your password at once:' },
    { link: link(publicUrl, MAIL_PATHS.requestReset), label: 'Reset my password' },
    { text: `(Or POST ${link(publicUrl, '/v1/user/password/restore')} with this address.)` },
  ]);
}

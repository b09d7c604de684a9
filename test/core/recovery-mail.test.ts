import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MAIL_LINE, resetMail, verificationMail, type CodeMail } from '../../src/core/recovery/recovery-mail.js';

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
/** Codes from the 22 characters of 128 bits to the longest line quoted-printable keeps whole. */
const code = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 22, maxLength: MAX_MAIL_LINE });
const publicUrl = fc.webUrl({ withQueryParameters: false, withFragments: false });
const TEMPLATES = [
  ['reset', resetMail],
  ['verification', verificationMail],
] as const;

describe('mails that carry a one-time code', () => {
  for (const [kind, template] of TEMPLATES) {
    it(`${kind}: the code stands alone on a line, and every line but the link fits a quoted-printable line (property)`, () => {
      fc.assert(
        fc.property(code, publicUrl, fc.boolean(), fc.integer({ min: 1, max: 1440 }), (c, url, replacesEarlier, ttlMinutes) => {
          const mail: CodeMail = { to: 'a@example.test', publicUrl: url, code: c, ttlMinutes, replacesEarlier };
          const lines = template(mail).text.split('\n');
          expect(lines).toContain(c);
          for (const line of lines.filter((l) => !l.startsWith(url.replace(/\/+$/, '')))) {
            expect(line.length, line).toBeLessThanOrEqual(MAX_MAIL_LINE);
          }
        }),
      );
    });

    it(`${kind}: says that it replaces the earlier mail exactly when it does`, () => {
      const mail = { to: 'a@example.test', publicUrl: 'https://auth.example', code: 'A'.repeat(32), ttlMinutes: 30 };
      const first = template({ ...mail, replacesEarlier: false }).text;
      const again = template({ ...mail, replacesEarlier: true }).text;
      expect(first).not.toMatch(/replaces/);
      expect(again).toMatch(/This mail replaces the \w+ mail sent to you earlier/);
      expect(again.replace(/\n/g, ' ')).toMatch(/the link in that mail no longer work/);
    });
  }
});

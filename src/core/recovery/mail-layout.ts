import type { MailMessage } from '../ports.js';

/**
 * The longest line quoted-printable carries unbroken: RFC 2045 6.7 allows 76 characters, and
 * nodemailer counts the CRLF in them. A longer line gets soft line breaks (`=` at the end of a
 * line), which would cut a code in the raw message. So a code stands on a line of its own, and
 * every line of prose is at most this long; with no long line at all (a short PUBLIC_URL) the
 * body goes out as plain 7bit text. Codes are 32 characters.
 */
export const MAX_MAIL_LINE = 74;

/** A mail's content, rendered both as plain text and as HTML from the same blocks. */
export type MailBlock =
  | { text: string }
  /** A one-time code: a line of its own in the text, a monospace block in the HTML. */
  | { code: string }
  /** A link: the URL on a line of its own in the text, a button in the HTML (the URL below it). */
  | { link: string; label: string };

/** Breaks prose into lines of at most MAX_MAIL_LINE characters (a longer word stands alone). */
export function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > MAX_MAIL_LINE) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function textOf(block: MailBlock): string {
  if ('code' in block) return block.code;
  if ('link' in block) return block.link;
  return wrap(block.text);
}

function htmlOf(block: MailBlock): string {
  if ('code' in block) {
    // The code stands on a line of its own in the HTML source too (see MAX_MAIL_LINE).
    return `<p style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:18px;letter-spacing:1px;background:#f3f4f6;padding:12px;border-radius:6px;word-break:break-all">\n${escapeHtml(block.code)}\n</p>`;
  }
  if ('link' in block) {
    const href = escapeHtml(block.link);
    return [
      `<p><a href="${href}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(block.label)}</a></p>`,
      `<p style="font-size:13px;color:#57606a;word-break:break-all">\n${href}\n</p>`,
    ].join('\n');
  }
  return `<p>${escapeHtml(wrap(block.text))}</p>`;
}

/**
 * One mail as plain text and HTML. The product name heads both; the HTML carries only inline
 * styles (mail clients drop stylesheets) and loads nothing from anywhere.
 */
export function composeMail(to: string, subject: string, productName: string, blocks: MailBlock[]): MailMessage {
  const text = [productName, ...blocks.map(textOf)].join('\n\n');
  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#1f2328;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px">',
    `<p style="font-weight:700;font-size:18px;margin-top:0">${escapeHtml(productName)}</p>`,
    ...blocks.map(htmlOf),
    '</div>',
    '</body></html>',
  ].join('\n');
  return { to, subject, text, html };
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/** The mails the outbox mailer wrote, parsed, oldest first. */
export async function readOutbox(dir: string): Promise<ParsedMail[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return Promise.all(files.map(async (f) => simpleParser(await readFile(join(dir, f)))));
}

/** The mailed code: the last path segment of the link in the mail's text (the reset page's by default). */
export function codeFromMail(mail: ParsedMail, path = '/reset/'): string {
  const text = mail.text ?? '';
  const at = text.indexOf(path);
  if (at === -1) throw new Error(`no ${path} link in mail: ${text}`);
  return decodeURIComponent(text.slice(at + path.length).split(/\s/)[0]!);
}

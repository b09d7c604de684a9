import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  rcptTo: string[];
  mailFrom: string | undefined;
  mail: ParsedMail;
  /** The message exactly as it came over SMTP (headers and encoded body), dot-stuffing undone. */
  raw: string;
}

export interface SmtpListener {
  port: number;
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  url: string;
  /** Every message received so far, oldest first. */
  received: ReceivedMail[];
  /** The oldest not yet taken message to `to`; waits for it up to `timeoutMs`. */
  waitForMail(to: string, timeoutMs?: number): Promise<ParsedMail>;
  /** Like waitForMail, with the envelope and the raw source of the message too. */
  waitForMessage(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages to `to` received so far (taken or not). */
  mailsTo(to: string): ParsedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (random port, no auth, no STARTTLS) that keeps every message it
 * receives, parsed with mailparser.
 */
export async function startSmtpListener(): Promise<SmtpListener> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        const source = Buffer.concat(chunks);
        simpleParser(source).then(
          (mail) => {
            const from = session.envelope.mailFrom;
            received.push({
              rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              mailFrom: from === false ? undefined : from.address,
              mail,
              raw: source.toString('latin1'),
            });
            for (const wake of [...waiters]) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  const matching = (to: string) => received.filter((r) => r.rcptTo.includes(to.toLowerCase()));

  function waitForMessage(to: string, timeoutMs = 10_000): Promise<ReceivedMail> {
    return new Promise<ReceivedMail>((resolve, reject) => {
      const check = () => {
        const next = matching(to).find((r) => !taken.has(r));
        if (!next) return false;
        taken.add(next);
        waiters.delete(check);
        clearTimeout(timer);
        resolve(next);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no mail to ${to} within ${timeoutMs} ms (received ${received.length} for ${received.map((r) => r.rcptTo.join(',')).join('; ')})`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailsTo: (to) => matching(to).map((r) => r.mail),
    async waitForMail(to, timeoutMs = 10_000) {
      return (await waitForMessage(to, timeoutMs)).mail;
    },
    waitForMessage,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

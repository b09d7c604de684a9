import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  rcptTo: string[];
  mailFrom: string | undefined;
  mail: ParsedMail;
}

export interface SmtpListener {
  port: number;
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  url: string;
  /** Every message received so far, oldest first. */
  received: ReceivedMail[];
  /** The oldest not yet taken message to `to`; waits for it up to `timeoutMs`. */
  waitForMail(to: string, timeoutMs?: number): Promise<ParsedMail>;
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
      simpleParser(stream).then(
        (mail) => {
          const from = session.envelope.mailFrom;
          received.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            mailFrom: from === false ? undefined : from.address,
            mail,
          });
          for (const wake of [...waiters]) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  const matching = (to: string) => received.filter((r) => r.rcptTo.includes(to.toLowerCase()));

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailsTo: (to) => matching(to).map((r) => r.mail),
    waitForMail(to, timeoutMs = 10_000) {
      return new Promise<ParsedMail>((resolve, reject) => {
        const check = () => {
          const next = matching(to).find((r) => !taken.has(r));
          if (!next) return false;
          taken.add(next);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(next.mail);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} within ${timeoutMs} ms (received ${received.length} for ${received.map((r) => r.rcptTo.join(',')).join('; ')})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

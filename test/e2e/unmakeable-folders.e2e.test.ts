/**
 * A folder that cannot be made (here under /proc, where Node 20's own recursive mkdir never
 * returns) is a clear failure at once: start-up ends with one line naming the path, and a mail
 * to an outbox there is refused instead of spinning a core.
 */
import { describe, expect, it } from 'vitest';
import { outboxMailer } from '../../src/infra/mail/outbox-mailer.js';
import { runToExit } from '../support/server-process.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe.runIf(process.platform === 'linux')('folders that cannot be made', () => {
  it('a DATABASE_URL under /proc stops start-up with one line, not a process that never starts', async () => {
    const { code, signal, stderr } = await runToExit({ DATABASE_URL: 'sqlite:/proc/tessera-nowhere/t.db' });
    expect(signal).toBeNull();
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain('could not start');
    expect(lines[0]).toContain('/proc/tessera-nowhere');
  });

  it('an OUTBOX_DIR under /proc refuses the mail', async () => {
    const mailer = outboxMailer('/proc/tessera-nowhere/outbox', 'Tessera <no-reply@example.test>', silent);
    try {
      await expect(mailer.send({ to: 'someone@example.test', subject: 'hello', text: 'hello' })).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      mailer.close();
    }
  });
});

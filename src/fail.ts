/** `tessera: <message>` on stderr, then exit 1: how the server (and its cluster primary) fails to start. */
import { writeSync } from 'node:fs';

export function fail(message: string): never {
  // Written synchronously: stderr to a pipe is asynchronous in Node, and process.exit could drop it.
  writeSync(2, `tessera: ${message}\n`);
  process.exit(1);
}

#!/usr/bin/env node
/**
 * `tessera`, the operator's command line (the package's bin): runs the program (`program.ts`) on
 * this process's streams and environment, then exits with its status. Every command reads the
 * configuration from the environment like the server, builds Tessera through `app.ts`, does one
 * thing and closes.
 */
import { writeSync } from 'node:fs';
import { describeError, errorLine } from './cli-context.js';
import { run } from './program.js';

function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

process.on('uncaughtException', (error) => {
  // Synchronous: an asynchronous write to a piped stderr could be lost by process.exit.
  writeSync(2, errorLine(describeError(error)));
  process.exit(1);
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(exitAfterFlush, (error: unknown) => {
  // Synchronous: an asynchronous write to a piped stderr could be lost by process.exit.
  writeSync(2, errorLine(describeError(error)));
  process.exit(1);
});

/**
 * A CPU bound measured by the bench itself, in `processes` separate processes started together
 * (the server's process count), each keeping `inFlight` operations going: argon2id verifications
 * per second with every core busy, or JWT signatures per second with the configured key type.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BoundSample } from '../interleave.js';
import type { BoundTask } from './bound-child.js';

const CHILD = fileURLToPath(new URL('./bound-child.ts', import.meta.url));

function next(child: ChildProcess, type: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string } & Record<string, number>) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`bound process exited (${code}) before '${type}'`)));
  });
}

/** Operations per second and CPU (percent of one core, all threads), summed over the processes. */
export async function runBound(task: BoundTask, processes: number, env: Record<string, string> = {}): Promise<BoundSample> {
  const children = Array.from({ length: processes }, () =>
    fork(CHILD, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    const ready = children.map((child) => next(child, 'ready'));
    for (const child of children) child.send(task);
    await Promise.all(ready);
    const results = children.map((child) => next(child, 'result'));
    for (const child of children) child.send({ type: 'go' });
    const counts = await Promise.all(results);
    return {
      rate: counts.reduce((sum, r) => sum + r.count! / r.seconds!, 0),
      cpuPercent: counts.reduce((sum, r) => sum + (r.cpuSeconds! / r.seconds!) * 100, 0),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

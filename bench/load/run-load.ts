/**
 * Runs one load in a separate process (autocannon-child.ts) while sampling the server's process
 * tree: CPU over the measured part only, peak RSS over warm-up and measurement.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TreeSampler, type MemorySnapshot } from '../proc-stats.js';
import type { LoadMessage, LoadResult, LoadSpec } from './spec.js';

const CHILD = fileURLToPath(new URL('./autocannon-child.ts', import.meta.url));

export interface Measured extends LoadResult {
  /** Server CPU over the measured part, percent of one core (200 = both cores of this machine). */
  cpuPercent: number;
  peak: MemorySnapshot;
}

/** `serverPids`: the roots whose trees are the server (the primary; workers are found below it). */
export function runLoad(spec: LoadSpec, serverPids: number[]): Promise<Measured> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const sampler = new TreeSampler(serverPids);
  return new Promise<Measured>((resolve, reject) => {
    let done = false;
    const finish = (error: Error | undefined, result?: LoadResult) => {
      if (done) return;
      done = true;
      const { cpuPercent, peak } = sampler.stop();
      if (error) reject(error);
      else resolve({ ...result!, cpuPercent, peak });
    };
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'measuring') sampler.mark();
      else if (message.type === 'result') finish(undefined, message.result);
      else finish(new Error(`load process: ${message.message}`));
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code) => finish(new Error(`load process exited (${code}) without a result`)));
    child.send(spec);
  });
}

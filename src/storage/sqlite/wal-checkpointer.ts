import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program: its own connection to the file, a PASSIVE checkpoint on a timer
 * (it never blocks the writer or the readers), and a clean close when asked, so no lock of its
 * connection outlives it. It reports each checkpoint that moved frames.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    if (row && row.checkpointed > 0) parentPort.postMessage({ checkpointed: row.checkpointed });
  } catch {
    // busy (another process's checkpoint) or a transient error: the next tick tries again
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Checkpoints once more, closes the worker's connection and ends the worker. */
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  intervalMs: number;
  /** Told of each checkpoint that copied frames into the database file (tests wait for it). */
  onCheckpoint?: (frames: number) => void;
  /** The worker failed or ended unasked: the caller goes back to SQLite's own checkpoints. */
  onLost: () => void;
}

/**
 * Copies the write-ahead log into the database file on a thread of its own. SQLite otherwise
 * checkpoints inside the COMMIT that crosses 1,000 pages of log, on the event loop: a thousand
 * page copies and an fsync every few dozen refreshes (a refresh's commit measured 0.27 ms with
 * them and 0.16 ms without).
 */
export function startWalCheckpointer(file: string, options: WalCheckpointerOptions): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: options.intervalMs },
    // A few objects a second: the smallest heap V8 allows keeps the thread's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, stackSizeMb: 1 },
  });
  // Never what keeps the process alive.
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: { checkpointed?: number }) => {
    if (message.checkpointed !== undefined) options.onCheckpoint?.(message.checkpointed);
  });
  // An 'error' is followed by 'exit'; listening keeps it from ending the process.
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    if (!stopping) options.onLost();
  });
  return {
    stop: async () => {
      stopping = true;
      // Held while it stops: a process with nothing else to do must wait for the close, not exit.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

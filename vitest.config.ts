import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files in one worker share the loaded modules instead of importing the whole app again per
    // file (that import was 177 s of the run; npm test 3 min 46 s -> 2 min 10 s here). Safe
    // because nothing in src/ keeps state at module level: every test builds its own app, store
    // and clock. A test that fakes timers or changes process.env must undo it in afterEach.
    isolate: false,
    // Two files at a time even on 2 cores: the files wait on I/O and child processes much of the
    // time (test/http: 181 s with one worker, 103 s with two, on the 2-core CI machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on 2 cores: the files wait on I/O and child processes much of the
    // time (test/http: 181 s with one worker, 103 s with two, on the 2-core CI machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});

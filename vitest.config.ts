import os from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    disableConsoleIntercept: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file after another in each worker process, without a fresh process per file: starting a worker
    // and re-importing the modules cost more CPU than most files' tests (63 unit files: 47 s isolated, 10 s not).
    // No test mocks modules or leaves globals changed (the in-process CLI runner puts env, cwd and stdio back).
    isolate: false,
    // vitest's default is one worker less than the cores: a single worker on a 2-core machine. One more than the
    // cores, because a worker often waits (on ffmpeg's start, a fake's latency, a spawned CLI): on 2 cores,
    // `npm test` took 134.7 s with 3 workers against 144.9 s with 2 (cold media cache; warm 124.0 against 127.9).
    maxWorkers: Math.max(2, os.availableParallelism()) + 1,
    // Ink draws only the last frame when it believes it runs in CI (is-in-ci reads CI); the view's tests
    // simulate a real terminal, so the test processes say they are not in CI. Spawned CLIs get their own env.
    env: { CI: 'false' },
    // RECFLOW_TEST_CPU_LOG=file: one line per test file with the CPU seconds it cost (test/support/cpu-per-file.ts).
    setupFiles: process.env.RECFLOW_TEST_CPU_LOG ? ['test/support/cpu-per-file.ts'] : [],
  },
})

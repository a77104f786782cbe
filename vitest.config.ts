import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Ink draws only the last frame when it believes it runs in CI (is-in-ci reads CI); the view's tests
    // simulate a real terminal, so the test processes say they are not in CI. Spawned CLIs get their own env.
    env: { CI: 'false' },
  },
})

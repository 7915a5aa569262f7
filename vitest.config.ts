import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and browser tests run real workloads; the MNIST model trains once per test run (~30 s on 2
    // cores) unless the user's cache holds it (test/global-setup.ts); each file gets its own cache.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-cache.ts'],
  },
});

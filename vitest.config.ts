import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and browser tests spawn processes and train the MNIST model once per machine (~30 s on 2 cores).
    testTimeout: 180_000,
    hookTimeout: 240_000,
    globalSetup: ['test/global-setup.ts'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers, real worker threads and real PDFs: generous, but every wait has its own deadline.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds. Vite would give our sources the ESM one while
    // graphql-yoga, loaded by Node, gets the CommonJS one: two GraphQLError classes, and yoga
    // would mask our deliberate user errors as "Unexpected error.". One copy for everybody.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests (test/web) open the built page: build it once, before any test file.
    globalSetup: ['test/support/build-web.ts'],
    // Real servers, real worker threads and real PDFs: generous, but every wait has its own deadline.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

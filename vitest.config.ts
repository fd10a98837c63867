import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Vite would load graphql's index.mjs while Node libraries load index.js: two graphql realms.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A Redis for the Redis adapter's tests: REDIS_URL's, or one this run starts (test/setup/redis.ts).
    globalSetup: ['test/setup/redis.ts'],
    // OCR tests share a 2-core machine: run files one after another, each with generous timeouts.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

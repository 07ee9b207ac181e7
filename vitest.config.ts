import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit specs need no I/O; integration specs share one DynamoDB Local started by the global
    // setup, each suite in a database of its own (see test/support/localStack.ts).
    include: ['test/**/*.spec.ts'],
    globalSetup: ['./test/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});

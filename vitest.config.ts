import { defineConfig } from 'vitest/config';

// The workspace packages resolve to their TypeScript sources in this repository (the
// `@coffee-es/source` export condition); installed from npm they resolve to their built `dist`.
const conditions = ['@coffee-es/source', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@coffee-es/source'] } },
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

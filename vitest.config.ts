import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The extended suite reads the full corpus (PAPERS_DATA_DIR): `npm run test:extended`.
    exclude: ['test/**/*.extended.test.ts', '**/node_modules/**'],
    environment: 'node',
    // Forks, not threads: the index spawns worker_threads and the store opens native handles.
    pool: 'forks',
    // Vitest defaults to one fewer worker than cores: one, on a 2-core machine. Much of this
    // suite waits on child processes and sockets, so two files at a time use the machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});

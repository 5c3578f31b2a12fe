/**
 * The extended suite: tests that need the whole corpus (all 558 HF days, 9,577 papers; the
 * 80k-paper arXiv tier), read from PAPERS_DATA_DIR. `npm run test:extended`.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  test: {
    ...base.test,
    include: ['test/**/*.extended.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/support/extended-setup.ts', 'test/support/global-setup.ts'],
  },
});

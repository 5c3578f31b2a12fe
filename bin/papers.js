#!/usr/bin/env node
// `npx papers …`: the CLI, compiled to dist/ by `npm ci` (the prepare script).
import('../dist/src/app/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('papers: the CLI is not built yet. Run `npm ci` (or `npm run build`) in the project first.');
    process.exit(1);
  }
  throw err;
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered when a test file imports this module, so dirs made inside tests are removed too.
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the file's tests (the shared data stays read-only). */
export function tempDir(prefix = 'papers-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export { ARXIV_FILE, HF_DAILY_DIR, MALFORMED_DIR, SHARED_DATA } from './real-data.js';

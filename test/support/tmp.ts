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

/** Absolute path of ../shared/data from the project root. */
export const SHARED_DATA = path.resolve(import.meta.dirname, '../../../shared/data');
export const HF_DAILY_DIR = path.join(SHARED_DATA, 'hf-daily');
export const ARXIV_FILE = path.join(SHARED_DATA, 'arxiv-cs-2025-2026.jsonl.gz');
export const MALFORMED_DIR = path.join(SHARED_DATA, 'malformed');

/**
 * Where the benchmarks find the full paper corpus: PAPERS_DATA_DIR (read by src/config.ts),
 * else ../shared/data beside the project when it exists; otherwise one clear line and exit 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { papersDataDir } from '../src/config.js';
import { PROJECT_ROOT } from '../src/paths.js';

export function corpusDir(): string {
  const dir = path.resolve(papersDataDir() ?? path.resolve(PROJECT_ROOT, '../shared/data'));
  if (!fs.existsSync(path.join(dir, 'hf-daily'))) {
    process.stderr.write(`no paper corpus at ${dir}: set PAPERS_DATA_DIR to a directory with hf-daily/ and arxiv-cs-2025-2026.jsonl.gz\n`);
    process.exit(1);
  }
  return dir;
}

/** Files that ship with the code, found from wherever it runs (src/ under tests, dist/src/ when built). */
import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'sample'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the project root above ${start}`);
  }
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);
export const SAMPLE_DIR = path.join(PROJECT_ROOT, 'sample', 'hf-daily');

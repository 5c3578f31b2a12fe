/**
 * Runs once before the suite. End-to-end tests spawn the built bot and CLI (what users
 * run), so dist/ is brought up to date first; tsc is incremental, so this costs about a
 * second when nothing changed. Type errors are reported by `npm test`'s typecheck step;
 * here tsc still emits, so a run of one folder is not blocked by a half-edited file.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default async function setup(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`global setup: tsc reported problems (the build still emitted):\n${r.stdout}${r.stderr}`);
  if (r.error) throw r.error;
}

/**
 * Runs once before the suite. End-to-end tests spawn the built bot and CLI (what users
 * run), so dist/ is brought up to date first; tsc is incremental, so this costs about a
 * second when nothing changed.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default async function setup(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

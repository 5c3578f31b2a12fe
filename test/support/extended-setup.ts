/**
 * Global setup of the extended suite: without the full corpus it fails at once with one
 * line saying what it needs, rather than skipping or failing test by test.
 */
import { fullDataDir } from './real-data.js';

export default function setup(): void {
  try {
    fullDataDir();
  } catch (e) {
    process.stderr.write(`test:extended: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

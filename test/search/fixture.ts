/**
 * Real papers for the search tests: a small spread of days (old and new schema) and the
 * whole archive, read through the real normaliser (test/support/real-data.ts).
 */
import type { IndexDoc } from '../../src/core/ports.js';
import { allDays, docsOfDays } from '../support/real-data.js';

export { allDays, docsOfDays, HF_DAILY_DIR } from '../support/real-data.js';

let all: IndexDoc[] | null = null;
/** All 558 days: 9,577 papers. Cached per test file (each file runs in its own process). */
export function allDocs(): IndexDoc[] {
  all ??= docsOfDays(allDays());
  return all;
}

export const SMALL_DAYS = [
  '2024-05-28', '2024-05-29', '2024-05-30', '2024-05-31', // 2024 schema: hard line breaks, no keywords
  '2025-03-18', '2025-06-10', '2025-06-11', '2025-06-12',
  '2025-11-04', '2026-02-10', '2026-02-11', '2026-05-12', '2026-08-20',
];

let small: IndexDoc[] | null = null;
/** About 300 papers from a few days spread over the archive (old and new schema). */
export function smallDocs(): IndexDoc[] {
  small ??= docsOfDays(SMALL_DAYS);
  return small.map((d) => ({ ...d, featuredDates: [...d.featuredDates] }));
}

/** The shared recording logger (test/support/fakes/logger.ts), re-exported for the search tests. */
export { recordingLogger } from '../support/fakes/logger.js';

/** The one order a digest shows papers in. */
import type { Paper } from '../paper.js';

/**
 * Upvotes first (what "trending" means on Daily Papers), then comments (discussion is
 * the next best signal of interest), then the newer arXiv submission, then the id, so
 * the order never depends on the order the store returned the papers in: a retried
 * digest must pick the same top N as the first attempt.
 */
export function compareForDigest(a: Paper, b: Paper): number {
  return (
    (b.upvotes ?? 0) - (a.upvotes ?? 0) ||
    (b.comments ?? 0) - (a.comments ?? 0) ||
    // Unknown arXiv dates sort last ('' < any day).
    cmp(b.publishedAt ?? '', a.publishedAt ?? '') ||
    cmp(b.id, a.id)
  );
}

/** A sorted copy; the input is left alone. */
export function rankForDigest(papers: readonly Paper[]): Paper[] {
  return [...papers].sort(compareForDigest);
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

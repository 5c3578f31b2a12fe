/** The orders a digest shows papers in: by upvotes, or by momentum (momentum-rate.ts) with upvotes breaking ties. */
import type { Paper, PaperId } from '../paper.js';

/**
 * Upvotes first (`--order upvotes`, and the tie-breaker of momentum), then comments (discussion is
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

/** Momentum first (upvotes per hour; a paper missing from the map counts 0), then compareForDigest. */
export function compareByMomentum(momentum: ReadonlyMap<PaperId, number>): (a: Paper, b: Paper) => number {
  return (a, b) => (momentum.get(b.id) ?? 0) - (momentum.get(a.id) ?? 0) || compareForDigest(a, b);
}

/** A sorted copy, by momentum when a map is given (the trending order), else by upvotes; the input is left alone. */
export function rankForDigest(papers: readonly Paper[], momentum?: ReadonlyMap<PaperId, number> | null): Paper[] {
  return [...papers].sort(momentum ? compareByMomentum(momentum) : compareForDigest);
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

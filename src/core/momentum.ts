/**
 * The upvote history the "trending" order is computed from: every ingest refresh leaves a
 * sample (paper, instant, upvotes) for each paper whose upvotes changed, and one the first
 * time a paper is seen with upvotes. Samples are recorded on change only, so a paper's
 * count holds from one sample to the next: a paper with no sample since an instant gained
 * nothing since then. The rate itself is src/core/digest/momentum.ts's.
 */
import { addDays, utcDay } from './dates.js';
import type { Paper, PaperId } from './paper.js';

export interface UpvoteSample {
  paperId: PaperId;
  /** ISO instant as Date#toISOString writes it (the ingest's clock), so text order is time order. */
  observedAt: string;
  upvotes: number;
}

/**
 * `Store.upvotes`: the samples, kept 48 hours to 14 days (the sweep prunes them, see
 * KEEP_UPVOTE_SAMPLES_MS); test/store/upvotes-contract.ts runs against every store.
 */
export interface UpvoteHistory {
  /** Stores the samples in one write; a sample for a paper and instant already stored is kept (repeats ignored). Returns how many were new. */
  record(samples: readonly UpvoteSample[]): Promise<number>;
  /**
   * The samples of these papers observed at or after `since` (ISO), and for each paper the
   * last one before `since` (its count when the window opened); ordered by paper id
   * (code-unit order), then observedAt. Unknown ids have none.
   */
  history(paperIds: readonly PaperId[], since: string): Promise<UpvoteSample[]>;
  /** Deletes samples observed before `before` (ISO); returns how many. */
  prune(before: string): Promise<number>;
}

/** The sweep keeps 14 days of samples: a weekly digest looks back over about ten calendar days. */
export const KEEP_UPVOTE_SAMPLES_MS = 14 * 24 * 3600_000;
/** Days featured longer ago than this get no samples: a backfill of the archive would only write rows the sweep deletes. */
const SAMPLE_DAYS = 14;

/**
 * The samples one refresh leaves: `before` is what the store held for the fetched papers
 * before the upsert. The store keeps the larger count (mergePapers), so a lower fetched
 * count is no change; a paper first seen with upvotes gets its first sample. Days older
 * than two weeks get none.
 */
export function upvoteSamples(day: string, before: readonly Paper[], fetched: readonly Paper[], observedAt: string): UpvoteSample[] {
  if (day < addDays(utcDay(new Date(observedAt)), -SAMPLE_DAYS)) return [];
  const stored = new Map(before.map((p) => [p.id, p.upvotes]));
  const next = new Map<PaperId, number>();
  for (const p of fetched) {
    if (p.upvotes === null || !Number.isFinite(p.upvotes)) continue;
    const seen = next.get(p.id) ?? stored.get(p.id) ?? null;
    next.set(p.id, seen === null ? p.upvotes : Math.max(seen, p.upvotes));
  }
  const out: UpvoteSample[] = [];
  for (const [paperId, upvotes] of next) if (upvotes !== (stored.get(paperId) ?? null)) out.push({ paperId, observedAt, upvotes });
  return out;
}

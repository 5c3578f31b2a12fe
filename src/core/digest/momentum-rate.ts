/**
 * Momentum: upvotes gained per hour since a paper was featured, measured from the ingest's
 * refreshes (the upvote history, src/core/momentum.ts), the way Hugging Face's Daily
 * Papers "trending" sort rewards fresh momentum over a big total. The rate is pure (the
 * caller hands over the samples and the instant it is measured at); `loadMomentum` at the
 * end is the one read, for the digests and /papers trending.
 *
 * The rule, and why:
 *
 * - With history covering at least an hour, the rate is the gain over the last 24 hours
 *   of it (a week for a weekly list, which would otherwise only ever show its last day):
 *   (count now − count when the window opened) / hours of window. The window opens 24 h
 *   before `asOf`, or at the paper's first sample when that is later (what it had
 *   before the bot first saw it is not momentum the bot measured). Samples are written on
 *   change only, so a count holds until the next sample: a paper that stopped gaining
 *   slows down as the hours pass, and a paper that is still gaining overtakes a big one
 *   whose votes all came yesterday.
 * - Otherwise (never sampled, or first seen under an hour ago: a paper just added to the
 *   list, a store filled before the history existed) the rate is its upvotes over the
 *   hours since its featured day began (UTC midnight, when Daily Papers opens the day's
 *   list), floored at one hour so a paper of a few minutes does not jump to the top.
 *   Same unit, so both kinds rank together.
 * - Ties go to compareForDigest (upvotes, comments, …, id), and `asOf` comes from the
 *   store (the last ingest), not the wall clock: the same store ranks the same way, so a
 *   retried digest picks the same papers.
 */
import { LAST_INGEST_KEY } from '../ingest-papers.js';
import type { UpvoteSample } from '../momentum.js';
import type { Paper, PaperId } from '../paper.js';
import type { Clock, Store } from '../ports.js';
import type { DigestOrder } from '../subscription.js';

const HOUR_MS = 3600_000;
/** The window momentum is measured over: a day, or a week for a weekly list. */
export const MOMENTUM_WINDOW_MS = 24 * HOUR_MS;
export const WEEK_MOMENTUM_WINDOW_MS = 7 * MOMENTUM_WINDOW_MS;
/** Less history than this is too little to measure a rate from. */
export const MIN_HISTORY_MS = HOUR_MS;

/** Upvotes per hour; `samples` are this paper's, in any order (those after `asOf` are ignored). */
export function momentumOf(paper: Paper, samples: readonly UpvoteSample[], asOf: Date, windowMs = MOMENTUM_WINDOW_MS): number {
  const at = asOf.getTime();
  const seen = samples
    .map((s) => ({ t: Date.parse(s.observedAt), upvotes: s.upvotes }))
    .filter((s) => Number.isFinite(s.t) && s.t <= at)
    .sort((a, b) => a.t - b.t);
  const first = seen[0];
  if (first && at - first.t >= MIN_HISTORY_MS) {
    const opens = Math.max(at - windowMs, first.t);
    // The count when the window opened: the last sample at or before then.
    let base = first.upvotes;
    for (const s of seen) if (s.t <= opens) base = s.upvotes;
    const now = seen[seen.length - 1]!.upvotes;
    return Math.max(0, now - base) / ((at - opens) / HOUR_MS);
  }
  const featured = featuredStart(paper, at);
  const hours = featured === null ? 1 : Math.max(1, (at - featured) / HOUR_MS);
  return (paper.upvotes ?? 0) / hours;
}

/** Paper id → momentum, for every paper given. */
export function momentumMap(papers: readonly Paper[], samples: readonly UpvoteSample[], asOf: Date, windowMs = MOMENTUM_WINDOW_MS): Map<PaperId, number> {
  const byPaper = new Map<PaperId, UpvoteSample[]>();
  for (const s of samples) {
    const list = byPaper.get(s.paperId);
    if (list) list.push(s);
    else byPaper.set(s.paperId, [s]);
  }
  return new Map(papers.map((p) => [p.id, momentumOf(p, byPaper.get(p.id) ?? [], asOf, windowMs)]));
}

/**
 * The momentum map a ranking in `order` needs (null for the upvotes order): the one read
 * the pure functions above need, shared by the digests and /papers trending. Measured at
 * the last ingest (when it is not in the future), else at the clock's now.
 */
export async function loadMomentum(
  store: Store,
  clock: Clock,
  papers: readonly Paper[],
  order: DigestOrder,
  windowMs = MOMENTUM_WINDOW_MS,
): Promise<Map<PaperId, number> | null> {
  if (order !== 'trending') return null;
  const now = clock.now();
  const last = Date.parse((await store.getMeta(LAST_INGEST_KEY)) ?? '');
  const asOf = Number.isFinite(last) && last <= now.getTime() ? new Date(last) : now;
  const samples = papers.length ? await store.upvotes.history(papers.map((p) => p.id), new Date(asOf.getTime() - windowMs).toISOString()) : [];
  return momentumMap(papers, samples, asOf, windowMs);
}

/** UTC midnight of the paper's latest featured day not after `at`; null when it has none. */
function featuredStart(paper: Paper, at: number): number | null {
  let best: number | null = null;
  for (const day of paper.featuredDates) {
    const t = Date.parse(`${day}T00:00:00Z`);
    if (t <= at && (best === null || t > best)) best = t;
  }
  return best;
}

/**
 * The one path new papers take: fetch → store → index → announce. The CLI (`papers
 * ingest`), the scheduled ingest job, the upvote refresh before a digest and the bot's
 * start-up all call `ingestDays`; they differ only in which of the optional steps they
 * pass (a process with its own index passes it; a worker announces to the others).
 */
import { addDays, utcDay, weekdayOf } from './dates.js';
import type { Metrics } from './metrics.js';
import { upvoteSamples, type UpvoteSample } from './momentum.js';
import type { Clock, Logger, PaperIndex, PaperSource, Store, UpsertResult } from './ports.js';
import { toIndexDoc } from './ports.js';

export const LAST_INGEST_KEY = 'ingest:lastAt';

/** Today and the weekday before it (UTC): today's list fills up, yesterday's upvotes still grow. */
export function defaultIngestDays(now: Date): string[] {
  const today = utcDay(now);
  let prev = addDays(today, -1);
  while (weekdayOf(prev) === 0 || weekdayOf(prev) === 6) prev = addDays(prev, -1);
  return [today, prev];
}

export interface IngestOutcome extends Omit<UpsertResult, 'revision'> {
  date: string;
  fetched: number;
}

export interface IngestDeps {
  source: PaperSource;
  store: Store;
  clock: Clock;
  log: Logger;
  /** This process's index: told of every fetched paper (upvotes), rebuilt when text changed. */
  index?: PaperIndex;
  /** Tells other processes which papers changed (their indexes catch up). */
  announce?: (ids: readonly string[]) => Promise<void>;
  metrics?: Metrics;
}

/**
 * Ingests the days in order. Each day is stored as it arrives, so a failure keeps the
 * days before it; the index and the announcement still cover those days, then the
 * failure is rethrown.
 */
export async function ingestDays(
  deps: IngestDeps,
  dates: readonly string[],
  opts: { signal?: AbortSignal; onDay?: (day: IngestOutcome) => void } = {},
): Promise<IngestOutcome[]> {
  const days: IngestOutcome[] = [];
  const fetchedIds: string[] = [];
  const changedIds: string[] = [];
  let ok = false;
  try {
    for (const date of dates) {
      const before = await deps.store.revision();
      const papers = await deps.source.fetchDay(date, opts.signal);
      const observedAt = deps.clock.now().toISOString();
      // What the store held before, so the upvote history gets a sample only where a count changed.
      const stored = papers.length ? await deps.store.getPapers(papers.map((p) => p.id)) : [];
      const res = await deps.store.upsertPapers(papers);
      await recordSamples(deps, upvoteSamples(date, stored, papers, observedAt));
      await deps.store.setMeta(LAST_INGEST_KEY, deps.clock.now().toISOString());
      const ids = papers.map((p) => p.id);
      fetchedIds.push(...ids);
      if (res.inserted || res.updated || res.revision !== before) changedIds.push(...ids);
      const day: IngestOutcome = { date, fetched: papers.length, inserted: res.inserted, updated: res.updated, unchanged: res.unchanged };
      days.push(day);
      deps.log.info({ ...day }, 'ingested day');
      opts.onDay?.(day);
    }
    ok = true;
  } finally {
    deps.metrics?.ingestRun(ok ? 'ok' : 'failed', fetchedIds.length);
    await tellOthers(deps, fetchedIds, changedIds);
  }
  return days;
}

/** The history serves the trending order only: failing to write it is logged, never a failed ingest. */
async function recordSamples(deps: IngestDeps, samples: readonly UpvoteSample[]): Promise<void> {
  if (!samples.length) return;
  try {
    await deps.store.upvotes.record(samples);
  } catch (err) {
    deps.log.warn({ err, samples: samples.length }, 'upvote samples not recorded');
  }
}

async function tellOthers(deps: IngestDeps, fetchedIds: string[], changedIds: string[]): Promise<void> {
  if (deps.index && fetchedIds.length) {
    // Upvote refreshes only touch filter metadata; new or changed text needs a rebuild.
    deps.index.updateMeta((await deps.store.getPapers(fetchedIds)).map(toIndexDoc));
    if (changedIds.length) await deps.index.refresh();
  }
  if (deps.announce && changedIds.length) await deps.announce(changedIds);
}

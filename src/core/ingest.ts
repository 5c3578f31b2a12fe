/**
 * Fetch → store → index, the one path new papers take (start-up, the CLI, the
 * scheduled ingest job). The index is told afterwards; it rebuilds off the main thread.
 */
import type { Logger, PaperIndex, PaperSource, Store, UpsertResult } from './ports.js';
import { toIndexDoc } from './ports.js';

export const LAST_INGEST_KEY = 'ingest:lastAt';

export interface IngestOutcome extends Omit<UpsertResult, 'revision'> {
  date: string;
  fetched: number;
}

export async function ingestDay(
  deps: { source: PaperSource; store: Store; index?: PaperIndex; log: Logger; now: () => Date },
  date: string,
  signal?: AbortSignal,
): Promise<IngestOutcome> {
  const papers = await deps.source.fetchDay(date, signal);
  const res = await deps.store.upsertPapers(papers);
  await deps.store.setMeta(LAST_INGEST_KEY, deps.now().toISOString());
  if (deps.index) {
    // Upvote refreshes only touch filter metadata; new or changed text needs a rebuild.
    const stored = await deps.store.getPapers(papers.map((p) => p.id));
    deps.index.updateMeta(stored.map(toIndexDoc));
    if (res.inserted || res.updated) void deps.index.refresh().catch((err: unknown) => deps.log.error({ err }, 'index refresh failed'));
  }
  deps.log.info({ date, fetched: papers.length, inserted: res.inserted, updated: res.updated }, 'ingested day');
  return { date, fetched: papers.length, inserted: res.inserted, updated: res.updated, unchanged: res.unchanged };
}

import type { Core } from '../compose.js';
import { parseDay, utcDay } from '../core/dates.js';
import { LAST_INGEST_KEY } from '../core/ingest.js';
import { note, printJson, println, UsageError } from './output.js';

/** `papers ingest --from D --to D`: each day is stored as it arrives, so a failure keeps the days before it. */
export async function ingestCommand(core: Core, opts: { from?: string; to?: string; json: boolean }): Promise<void> {
  const today = utcDay(new Date());
  const from = parseDay(opts.from ?? opts.to ?? today, today);
  const to = parseDay(opts.to ?? opts.from ?? today, today);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const days: { date: string; fetched: number; inserted: number; updated: number }[] = [];
  try {
    for await (const { date, papers } of core.source.fetchRange(from, to)) {
      const res = await core.store.upsertPapers(papers);
      days.push({ date, fetched: papers.length, inserted: res.inserted, updated: res.updated });
      if (!opts.json) note(`${date}: ${papers.length} papers (${res.inserted} new, ${res.updated} updated)`);
    }
    await core.store.setMeta(LAST_INGEST_KEY, new Date().toISOString());
  } finally {
    if (days.some((d) => d.inserted || d.updated)) await core.index.refresh();
  }
  const total = days.reduce((a, d) => ({ fetched: a.fetched + d.fetched, inserted: a.inserted + d.inserted, updated: a.updated + d.updated }), { fetched: 0, inserted: 0, updated: 0 });
  if (opts.json) return printJson({ from, to, days, ...total });
  println(`Ingested ${days.length} day${days.length === 1 ? '' : 's'} (${from} … ${to}): ${total.fetched} papers, ${total.inserted} new, ${total.updated} updated.`);
}

import { eachDay, parseDay, utcDay } from '../core/dates.js';
import { ingestDays, type IngestOutcome } from '../core/ingest-papers.js';
import type { CliDeps } from './cli-deps.js';
import { note, printJson, println, UsageError } from './cli-output.js';

/** `papers ingest --from D --to D`: each day is stored as it arrives, so a failure keeps the days before it. */
export async function ingestCommand(core: CliDeps, opts: { from?: string; to?: string; json: boolean }): Promise<void> {
  const today = utcDay(core.clock.now());
  const from = parseDay(opts.from ?? opts.to ?? today, today);
  const to = parseDay(opts.to ?? opts.from ?? today, today);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const days: IngestOutcome[] = await ingestDays(core, [...eachDay(from, to)], {
    onDay: (d) => {
      if (!opts.json) note(`${d.date}: ${d.fetched} papers (${d.inserted} new, ${d.updated} updated)`);
    },
  });
  const total = days.reduce((a, d) => ({ fetched: a.fetched + d.fetched, inserted: a.inserted + d.inserted, updated: a.updated + d.updated }), { fetched: 0, inserted: 0, updated: 0 });
  if (opts.json) return printJson({ from, to, days: days.map(({ date, fetched, inserted, updated }) => ({ date, fetched, inserted, updated })), ...total });
  println(`Ingested ${days.length} day${days.length === 1 ? '' : 's'} (${from} … ${to}): ${total.fetched} papers, ${total.inserted} new, ${total.updated} updated.`);
}

/** Fetches Daily Papers days into the store and tells the bots; scheduled every 30 minutes on weekdays. */
import { addDays, utcDay, weekdayOf } from '../src/core/dates.js';
import { ingestDay, type IngestOutcome } from '../src/core/ingest.js';
import type { JobContext, JobLike } from './context.js';
import { parsePayload } from './payload.js';
import { ingestPayload } from './queues.js';

/** Today and the weekday before it (UTC): today's list fills up, yesterday's upvotes still grow. */
export function defaultIngestDays(now: Date): string[] {
  const today = utcDay(now);
  let prev = addDays(today, -1);
  while (weekdayOf(prev) === 0 || weekdayOf(prev) === 6) prev = addDays(prev, -1);
  return [today, prev];
}

export async function processIngest(job: JobLike, ctx: JobContext): Promise<{ days: IngestOutcome[] }> {
  const p = parsePayload(ingestPayload, job.data, 'ingest');
  const dates = p.dates.length ? p.dates : defaultIngestDays(ctx.clock.now());
  const days: IngestOutcome[] = [];
  const changed: string[] = [];
  for (const date of dates) {
    const before = await ctx.store.revision();
    const out = await ingestDay({ source: ctx.source, store: ctx.store, log: ctx.log.child({ job: job.id }), now: () => ctx.clock.now() }, date);
    days.push(out);
    if (out.inserted || out.updated || (await ctx.store.revision()) !== before) {
      changed.push(...(await ctx.store.papersFeaturedBetween(date, date)).map((x) => x.id));
    }
  }
  if (changed.length) await ctx.papersChanged(changed);
  return { days };
}

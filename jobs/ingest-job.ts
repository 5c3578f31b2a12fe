/** Fetches Daily Papers days into the store and tells the bots; scheduled every 30 minutes on weekdays. */
import { z } from 'zod';
import { defaultIngestDays, ingestDays, type IngestOutcome } from '../src/core/ingest-papers.js';
import { enqueueAlertScan } from './alerts-job.js';
import { enqueueEditSweeps } from './edit-sweep-job.js';
import { dayString, jobKey } from './job-ids.js';
import type { JobContext, JobLike } from './job-ports.js';
import { parsePayload } from './parse-payload.js';

export const INGEST_QUEUE = 'papers-ingest';
export const INGEST_JOB = 'ingest';
export const INGEST_SCHEDULER_ID = 'ingest|today';
/** Every 30 minutes on weekdays (UTC), when Daily Papers lists fill up. */
export const INGEST_PATTERN = '*/30 * * * 1-5';

export const ingestPayload = z.object({
  /** Days to fetch (YYYY-MM-DD); empty means today and the previous day (UTC). */
  dates: z.array(dayString).max(31).default([]),
  reason: z.enum(['schedule', 'start', 'stale-upvotes', 'manual']).default('manual'),
});
export type IngestPayload = z.infer<typeof ingestPayload>;

export const ingestJobId = (reason: IngestPayload['reason'], at: Date): string => jobKey('ingest', reason, at.toISOString().slice(0, 16));

export async function processIngest(
  job: JobLike,
  ctx: Pick<JobContext, 'store' | 'source' | 'clock' | 'log' | 'papersChanged' | 'metrics'> & Partial<Pick<JobContext, 'queue'>>,
): Promise<{ days: IngestOutcome[] }> {
  const p = parsePayload(ingestPayload, job.data, INGEST_JOB);
  const dates = p.dates.length ? p.dates : defaultIngestDays(ctx.clock.now());
  const days = await ingestDays({ source: ctx.source, store: ctx.store, clock: ctx.clock, log: ctx.log.child({ job: job.id }), announce: ctx.papersChanged, ...(ctx.metrics ? { metrics: ctx.metrics } : {}) }, dates);
  // Days that brought new papers (or new featured days on known ones): instant alerts look at them.
  const fresh = days.filter((d) => d.inserted + d.updated > 0).map((d) => d.date);
  if (ctx.queue && fresh.length) await enqueueAlertScan(ctx.queue, fresh, ctx.clock.now());
  // Changed counts show on the messages posted in the last 48 hours (live counts).
  if (ctx.queue && days.some((d) => d.updated > 0)) await enqueueEditSweeps({ queue: ctx.queue, store: ctx.store, clock: ctx.clock }, 'ingest');
  return { days };
}

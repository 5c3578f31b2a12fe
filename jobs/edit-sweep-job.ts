/**
 * Live counts: brings posted paper messages up to date with their upvote and comment
 * counts (src/core/digest/live-counts.ts), one job per platform on the platform's hints
 * queue: low priority, its edits paced like the 🔖 hints (spare capacity only), so it
 * never holds up a digest. Queued after an ingest that changed papers and by the periodic
 * sweep (a window's job id each, so a repeat is a no-op); a run edits only what changed,
 * so two runs cost requests at most, never a wrong count.
 */
import { z } from 'zod';
import { refreshLiveCounts, type LiveSweepReport } from '../src/core/digest/live-counts.js';
import { LIVE_WINDOW_MS } from '../src/core/live-messages.js';
import type { PlatformName } from '../src/core/ports.js';
import { hintQueue } from './hints-job.js';
import { jobKey, platformName } from './job-ids.js';
import type { JobContext, JobLike, JobQueue } from './job-ports.js';
import { parsePayload } from './parse-payload.js';

export const EDIT_SWEEP_JOB = 'edit-sweep';
/** The periodic sweep queues one per platform in each window of this length. */
export const EDIT_SWEEP_WINDOW_MS = 15 * 60_000;

export const editSweepPayload = z.object({ platform: platformName });
export type EditSweepPayload = z.infer<typeof editSweepPayload>;

/** `why`: 'ingest' (ids by the ingest's minute) or 'sweep' (by the window). */
export function editSweepJobId(platform: PlatformName, why: 'ingest' | 'sweep', at: Date): string {
  const stamp = why === 'ingest' ? at.toISOString().slice(0, 16) : new Date(Math.floor(at.getTime() / EDIT_SWEEP_WINDOW_MS) * EDIT_SWEEP_WINDOW_MS).toISOString().slice(0, 16);
  return jobKey('edit-sweep', platform, why, stamp);
}

/** Queues an edit sweep for every platform with messages inside the 48 hours; returns those platforms. */
export async function enqueueEditSweeps(
  ctx: { queue: JobQueue; store: Pick<JobContext['store'], 'deliveries'>; clock: JobContext['clock'] },
  why: 'ingest' | 'sweep',
  only?: readonly PlatformName[],
): Promise<PlatformName[]> {
  const now = ctx.clock.now();
  const platforms = (await ctx.store.deliveries.watchedPlatforms(new Date(now.getTime() - LIVE_WINDOW_MS).toISOString())).filter((p) => !only || only.includes(p));
  for (const platform of platforms) {
    const data: EditSweepPayload = { platform };
    await ctx.queue.add(hintQueue(platform), EDIT_SWEEP_JOB, data, { jobId: editSweepJobId(platform, why, now), attempts: 2 });
  }
  return platforms;
}

export async function processEditSweep(job: JobLike, ctx: JobContext): Promise<LiveSweepReport> {
  const p = parsePayload(editSweepPayload, job.data, EDIT_SWEEP_JOB);
  const platform = ctx.platformFor(p.platform);
  if (!platform) throw new Error(`no ${p.platform} connection in this worker`);
  const log = ctx.log.child({ job: job.id, platform: p.platform });
  const report = await refreshLiveCounts({ store: ctx.store, clock: ctx.clock, log }, platform);
  if (report.edited || report.dropped || report.failed) log.info({ ...report }, 'live counts refreshed');
  return report;
}

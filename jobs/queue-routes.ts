/**
 * Which processor runs a job of a shared queue, by the job's name: the plan queue carries
 * channel ticks, inbox ticks and alert scans; a platform's delivery queue carries digests
 * and alert DMs (so both are paced by the same worker concurrency and rate limits); its
 * hints queue carries the 🔖 hints and the live-counts edit sweeps.
 */
import { ALERT_SCAN_JOB, ALERT_SEND_JOB, processAlertScan, processAlertSend } from './alerts-job.js';
import { processDigestDeliver } from './deliver-job.js';
import { EDIT_SWEEP_JOB, processEditSweep } from './edit-sweep-job.js';
import { processHints } from './hints-job.js';
import { INBOX_JOB, processInboxTick } from './inbox-job.js';
import type { JobContext, JobLike } from './job-ports.js';
import { processDigestTick } from './plan-job.js';

export function processPlanQueue(job: JobLike, ctx: JobContext): Promise<unknown> {
  if (job.name === INBOX_JOB) return processInboxTick(job, ctx);
  if (job.name === ALERT_SCAN_JOB) return processAlertScan(job, ctx);
  return processDigestTick(job, ctx);
}

/** A platform's hints queue: the 🔖 hints and the live-counts edit sweeps, both only in spare capacity. */
export function processHintQueue(job: JobLike, ctx: JobContext): Promise<unknown> {
  if (job.name === EDIT_SWEEP_JOB) return processEditSweep(job, ctx);
  return processHints(job, ctx);
}

export function processDeliverQueue(job: JobLike, ctx: JobContext): Promise<unknown> {
  if (job.name === ALERT_SEND_JOB) return processAlertSend(job, ctx);
  return processDigestDeliver(job, ctx);
}

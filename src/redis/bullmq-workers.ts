/**
 * The BullMQ workers of one process: ingest (one at a time) and a digest worker per
 * platform this process can post to. Jobs are I/O-bound (HTTP to the platforms, paced by
 * the shared rate limiter), so a digest worker runs many at once: one slow or broken
 * channel holds one slot, never the others.
 */
import { Worker, type Job } from 'bullmq';
import {
  deliverQueue,
  hintQueue,
  INGEST_JOB,
  INGEST_PATTERN,
  INGEST_QUEUE,
  INGEST_SCHEDULER_ID,
  ingestJobId,
  PLAN_QUEUE,
  processPlanQueue,
  processDeliverQueue,
  processHintQueue,
  processIngest,
  type IngestPayload,
  type JobContext,
} from '../../jobs/index.js';
import type { Logger, PlatformName } from '../core/ports.js';
import type { Queues } from './bullmq-queues.js';

export interface WorkerOptions {
  queues: Queues;
  ctx: JobContext;
  platforms: readonly PlatformName[];
  log: Logger;
  /** Digest jobs in flight per process. */
  concurrency?: number;
  /** Run the ingest schedule (every 30 minutes on weekdays) and one ingest now. */
  ingest?: boolean;
  /** How long close() waits for active jobs before leaving them to be retried elsewhere. */
  shutdownGraceMs?: number;
  /** Job lock; a crashed worker's job is retried once it lapses (default 60 s). */
  lockMs?: number;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/** The ingest schedule, written when missing (at start, and by every sweep after Redis forgot it). True when written. */
export async function ensureIngestSchedule(queues: Queues): Promise<boolean> {
  const q = queues.ingest();
  const have = await q.getJobScheduler(INGEST_SCHEDULER_ID);
  if (have?.pattern === INGEST_PATTERN && have.tz === 'UTC') return false;
  const data: IngestPayload = { dates: [], reason: 'schedule' };
  await q.upsertJobScheduler(INGEST_SCHEDULER_ID, { pattern: INGEST_PATTERN, tz: 'UTC' }, { name: INGEST_JOB, data, opts: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } } });
  return true;
}

export async function startWorkers(opts: WorkerOptions): Promise<RunningWorkers> {
  const { queues, ctx, log } = opts;
  const common = { connection: queues.connection, prefix: queues.prefix };
  const workers: Worker[] = [];

  const onFailed = (job: Job | undefined, err: Error) =>
    log.warn({ job: job?.id, name: job?.name, attempts: job?.attemptsMade, err: err.message }, 'job failed');

  if (opts.ingest !== false) {
    const w = new Worker(INGEST_QUEUE, (job) => processIngest(job, ctx), { ...common, concurrency: 1, lockDuration: 120_000 });
    w.on('failed', onFailed);
    w.on('error', (err) => log.error({ err }, 'ingest worker error'));
    workers.push(w);
    await ensureIngestSchedule(queues);
    const q = queues.ingest();
    const now = ctx.clock.now();
    await q.add(INGEST_JOB, { dates: [], reason: 'start' } satisfies IngestPayload, { jobId: ingestJobId('start', now), attempts: 2 });
  }

  // The lock is renewed while a job runs; a crashed worker's job is taken over once it
  // lapses (the stalled-job check) and finished idempotently by another worker.
  const lockDuration = opts.lockMs ?? 60_000;
  const locks = { lockDuration, stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)), maxStalledCount: 5 };
  if (opts.platforms.length) {
    // Few at a time on purpose (see PLAN_QUEUE); planning is CPU, not waiting.
    const plan = new Worker(PLAN_QUEUE, (job) => processPlanQueue(job, ctx), { ...common, ...locks, concurrency: 2 });
    plan.on('failed', onFailed);
    plan.on('error', (err) => log.error({ err }, 'plan worker error'));
    workers.push(plan);
  }
  for (const platform of opts.platforms) {
    const w = new Worker(deliverQueue(platform), (job) => processDeliverQueue(job, ctx), { ...common, ...locks, concurrency: opts.concurrency ?? 100 });
    w.on('failed', onFailed);
    w.on('error', (err) => log.error({ err, platform }, 'digest worker error'));
    workers.push(w);
    const hints = new Worker(hintQueue(platform), (job) => processHintQueue(job, ctx), { ...common, ...locks, concurrency: 10 });
    hints.on('failed', onFailed);
    hints.on('error', (err) => log.error({ err, platform }, 'hint worker error'));
    workers.push(hints);
  }

  log.info({ platforms: opts.platforms, ingest: opts.ingest !== false }, 'workers started');
  return {
    workers,
    async close() {
      // Graceful: stop taking jobs and let active ones finish; past the grace period they
      // are left locked, and another worker takes them over once the lock lapses.
      const grace = opts.shutdownGraceMs ?? 25_000;
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), grace).unref())]);
      if (timedOut) {
        log.warn({ graceMs: grace }, 'active jobs did not finish in time; leaving them to be retried');
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}

/**
 * Every job the workers run, one contract each (queue name, payload schema, job-id
 * builder) next to its thin processor. src/redis/bullmq-workers.ts consumes these;
 * nothing here knows BullMQ beyond its UnrecoverableError.
 */
export * from './alerts-job.js';
export * from './deliver-job.js';
export * from './edit-sweep-job.js';
export * from './hints-job.js';
export * from './inbox-job.js';
export * from './ingest-job.js';
export * from './job-ids.js';
export type { JobContext, JobLike, JobQueue } from './job-ports.js';
export * from './plan-job.js';
export * from './sweep.js';
export * from './queue-routes.js';

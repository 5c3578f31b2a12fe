/** The BullMQ queues this process adds to, created on first use and closed together. */
import { Queue } from 'bullmq';
import { deliverQueue, INGEST_QUEUE, JOB_DEFAULTS, PLAN_QUEUE } from '../../jobs/index.js';
import type { PlatformName } from '../core/ports.js';
import type { JobQueue } from '../../jobs/index.js';

export class Queues implements JobQueue {
  private readonly open = new Map<string, Queue>();

  constructor(private readonly redisUrl: string, readonly prefix = 'papers') {}

  /** Connection options for BullMQ (workers need maxRetriesPerRequest: null). */
  get connection() {
    return { url: this.redisUrl, maxRetriesPerRequest: null };
  }

  get(name: string): Queue {
    let q = this.open.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: JOB_DEFAULTS });
      this.open.set(name, q);
    }
    return q;
  }

  /** True when a job was added (with `revive`: false when one of that id is still pending or running). */
  async add(queue: string, name: string, payload: object, opts: { jobId: string; attempts?: number; revive?: boolean; delay?: number }): Promise<boolean> {
    const { revive, ...jobOpts } = opts;
    const q = this.get(queue);
    if (revive) {
      const existing = await q.getJob(opts.jobId);
      const state = existing ? await existing.getState() : null;
      // Only a finished job is replaced: a waiting, delayed or active one is the same work
      // in flight, and two of them for one channel could post side by side.
      if (existing && state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      if (existing) await existing.remove();
    }
    await q.add(name, payload, jobOpts);
    return true;
  }

  ingest(): Queue {
    return this.get(INGEST_QUEUE);
  }

  /** Where the subscriptions' schedulers put their ticks. */
  plan(): Queue {
    return this.get(PLAN_QUEUE);
  }

  /** Deliveries to one platform. */
  deliveries(platform: PlatformName): Queue {
    return this.get(deliverQueue(platform));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.open.values()].map((q) => q.close()));
    this.open.clear();
  }
}

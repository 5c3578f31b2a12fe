/** The BullMQ queues this process adds to, created on first use and closed together. */
import { Queue } from 'bullmq';
import { digestQueue, INGEST_QUEUE, JOB_DEFAULTS, PLAN_QUEUE } from '../../jobs/queues.js';
import type { PlatformName } from '../core/ports.js';

export class Queues {
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

  ingest(): Queue {
    return this.get(INGEST_QUEUE);
  }

  /** Where the subscriptions' schedulers put their ticks. */
  plan(): Queue {
    return this.get(PLAN_QUEUE);
  }

  /** Deliveries to one platform. */
  digest(platform: PlatformName): Queue {
    return this.get(digestQueue(platform));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.open.values()].map((q) => q.close()));
    this.open.clear();
  }
}

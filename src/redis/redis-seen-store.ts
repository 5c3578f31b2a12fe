/**
 * SeenStore in Redis: `SET <prefix>:seen:<key> 1 NX PX <ttl>`, one round trip, atomic, so
 * of two processes handed the same delivery exactly one is told "first". The key expires
 * by itself. A Redis that does not answer within `timeoutMs` is an error (the caller falls
 * back to remembering in its own process) rather than a wait: Slack wants its answer
 * within three seconds, and this connection queues commands while it reconnects.
 */
import type { Redis } from 'ioredis';
import type { SeenStore } from '../core/ports.js';

export class RedisSeenStore implements SeenStore {
  constructor(
    private readonly redis: Redis,
    /** QUEUE_PREFIX: two installs sharing one Redis never see each other's deliveries. */
    private readonly prefix = 'papers',
    private readonly timeoutMs = 1_000,
  ) {}

  async firstTime(key: string, ttlMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const set = this.redis.set(`${this.prefix}:seen:${key}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      // Lost the race to the timer, it may still fail later: that is already answered.
      set.catch(() => undefined);
      return (await Promise.race([set, timeout])) === 'OK';
    } finally {
      clearTimeout(timer);
    }
  }
}

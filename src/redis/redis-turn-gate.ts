/**
 * TurnGate in Redis: `SET <prefix>:turn:<bucket> 1 NX PX <window>` takes the turn; a
 * caller that finds the key waits out its PTTL and tries again. Every process on this
 * Redis shares the buckets, so bot processes started together still identify their
 * gateway shards one per bucket per window, as Discord requires of the bot as a whole.
 * A Redis that fails or does not answer within `timeoutMs` (this connection queues
 * commands while it reconnects) is waited out for one window instead: pacing by time
 * alone, as each process would without a shared gate, rather than a shard that cannot
 * reconnect until Redis is back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger, TurnGate } from '../core/ports.js';

export class RedisTurnGate implements TurnGate {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    /** QUEUE_PREFIX: two installs on one Redis are two bots, each with its own limits. */
    private readonly prefix = 'papers',
    private readonly timeoutMs = 2_000,
  ) {}

  private async answer<T>(p: Promise<T>): Promise<T> {
    p.catch(() => undefined); // lost the race to the timer: already answered
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs)));
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async take(bucket: string, windowMs: number, signal?: AbortSignal): Promise<void> {
    const key = `${this.prefix}:turn:${bucket}`;
    for (;;) {
      signal?.throwIfAborted();
      let wait: number;
      try {
        if ((await this.answer(this.redis.set(key, '1', 'PX', windowMs, 'NX'))) === 'OK') return;
        wait = await this.answer(this.redis.pttl(key));
      } catch (err) {
        this.log.warn({ bucket, err: (err as Error).message }, 'shared turn unavailable (Redis); waiting one window instead');
        await sleep(windowMs, undefined, signal ? { signal } : {});
        return;
      }
      // -2: expired between the two calls; a little jitter keeps waiters from arriving together.
      await sleep(Math.max(wait, 0) + 10 + Math.random() * 40, undefined, signal ? { signal } : {});
    }
  }
}

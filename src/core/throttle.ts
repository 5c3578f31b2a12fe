/**
 * Per-user command limits and per-channel cooldowns. The port is the shared limiter's
 * `tryTake` (src/redis/gcra-rate-limiter.ts: one budget for every process on a Redis);
 * MemoryThrottle is the same GCRA in this process, for a bot without Redis.
 */

export interface ThrottleRate {
  perSecond: number;
  burst: number;
}

export interface Throttle {
  /** 0 and a slot taken, or the ms until one is free (nothing taken). */
  tryTake(key: string, rate: ThrottleRate): Promise<number>;
}

/** Commands per user: a burst of 8, then one every 2 s (button paging counts too). */
export const COMMAND_RATE: ThrottleRate = { perSecond: 0.5, burst: 8 };
/** `digest now` per channel: once per 5 minutes, whoever asks. */
export const DIGEST_NOW_RATE: ThrottleRate = { perSecond: 1 / 300, burst: 1 };

/** GCRA: one "theoretical arrival time" per key; bounded, oldest keys forgotten first. */
export class MemoryThrottle implements Throttle {
  private readonly tat = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  async tryTake(key: string, rate: ThrottleRate): Promise<number> {
    const now = this.now();
    const interval = 1000 / rate.perSecond;
    const tolerance = (Math.max(1, rate.burst) - 1) * interval;
    const tat = Math.max(this.tat.get(key) ?? 0, now);
    const wait = tat - tolerance - now;
    if (wait > 0) return Math.ceil(wait);
    this.tat.delete(key); // re-inserted last: Map order is then least recently used first
    this.tat.set(key, tat + interval);
    for (const k of this.tat.keys()) {
      if (this.tat.size <= this.maxKeys) break;
      this.tat.delete(k);
    }
    return 0;
  }
}

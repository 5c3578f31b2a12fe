/**
 * Rate limits shared by every worker process, kept in Redis: a GCRA (the token bucket
 * expressed as one timestamp per key) run as a Lua script against Redis's clock, so any
 * number of processes on any number of machines draw from the same budget.
 *
 * Written by hand: rate-limiter-flexible, the usual library, counts fixed windows, which
 * allow twice the rate across a window boundary; keeping a token-bucket limit such as
 * Discord's with it would cost a 20–25 % margin, and the fan-out target allows 15 %.
 *
 * `take` reserves the next free slot and sleeps until it, so callers are served in
 * arrival order and a burst never turns into a storm of retries.
 */
import type { Redis } from 'ioredis';

/** Both scripts: now (Redis's clock, ms) and the key's theoretical arrival time, not before now. */
const PRELUDE = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
`;

const ADVANCE = `redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now + tolerance + 1000))`;

/** Takes a slot only if one is free now; else returns the wait, reserving nothing. */
const TRY = `${PRELUDE}
local wait = tat - tolerance - now
if wait > 0 then return math.ceil(wait) end
${ADVANCE}
return 0
`;

/** Reserves the next slot and returns how long until it (0: now). */
const RESERVE = `${PRELUDE}
local delay = tat - tolerance - now
if delay < 0 then delay = 0 end
${ADVANCE}
return delay
`;

export interface Rate {
  /** Requests per second, sustained. */
  perSecond: number;
  /** How many may go at once after a quiet spell (1 = evenly spaced). */
  burst: number;
}

export interface RateLimiter {
  /** Waits until one request under `key` may go. */
  take(key: string, rate: Rate): Promise<void>;
  /**
   * Takes a slot only when one is free right now (0), else says how long to wait (ms)
   * without queueing: work that must yield to everything else (the 🔖 hints) uses this,
   * so it only ever fills capacity the digests leave unused.
   */
  tryTake(key: string, rate: Rate): Promise<number>;
}

type WithReserve = Redis & {
  papersReserve(key: string, interval: number, tolerance: number): Promise<number>;
  papersTry(key: string, interval: number, tolerance: number): Promise<number>;
};

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithReserve;
  /** Earliest local send time per key (see take). */
  private readonly localNext = new Map<string, number>();

  constructor(redis: Redis, private readonly prefix = 'papers:rl:') {
    if (!('papersReserve' in redis)) redis.defineCommand('papersReserve', { numberOfKeys: 1, lua: RESERVE });
    if (!('papersTry' in redis)) redis.defineCommand('papersTry', { numberOfKeys: 1, lua: TRY });
    this.redis = redis as WithReserve;
  }

  async take(key: string, rate: Rate): Promise<void> {
    const interval = 1000 / rate.perSecond;
    const tolerance = (Math.max(1, rate.burst) - 1) * interval;
    const delay = await this.redis.papersReserve(this.prefix + key, interval, tolerance);
    if (delay > 0) await sleep(delay);
    // Slots are spaced in Redis, but a timer that fires late (a busy event loop) would send
    // its request together with the next ones: a clump the platform counts against us. So
    // this process also keeps its own sends on that key at least one interval apart; a
    // stall then delays the sends after it by the stall, and no slot is lost.
    if (rate.burst <= 1) await this.spaceLocally(key, interval);
  }

  async tryTake(key: string, rate: Rate): Promise<number> {
    const interval = 1000 / rate.perSecond;
    const wait = await this.redis.papersTry(this.prefix + key, interval, (Math.max(1, rate.burst) - 1) * interval);
    if (wait > 0 || rate.burst > 1) return wait;
    await this.spaceLocally(key, interval);
    return 0;
  }

  /** Keeps this process's sends on a key at least one interval apart (see take). */
  private async spaceLocally(key: string, interval: number): Promise<void> {
    const now = Date.now();
    const next = this.localNext.get(key) ?? 0;
    this.localNext.set(key, Math.max(now, next) + interval);
    if (next > now) await sleep(next - now);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** For tests and single-purpose tools: no limit at all. */
export const unlimited: RateLimiter = { take: async () => {}, tryTake: async () => 0 };

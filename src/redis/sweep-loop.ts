/**
 * Runs the sweep (jobs/sweep.ts) periodically and whenever the Redis connection becomes
 * ready again: a Redis that restarted empty is rebuilt from the store at once, not at the
 * next interval. Sweeps never overlap; a trigger during one runs one more after it.
 */
import type { Redis } from 'ioredis';
import type { SweepReport } from '../../jobs/index.js';
import type { Logger } from '../core/ports.js';

export interface SweepLoop {
  /** Sweeps now (after any sweep in progress); resolves when done. */
  now(): Promise<void>;
  stop(): Promise<void>;
}

export function startSweepLoop(opts: { run: () => Promise<SweepReport>; redis: Redis; intervalMs: number; log: Logger }): SweepLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const once = async (): Promise<void> => {
    do {
      again = false;
      try {
        await opts.run();
      } catch (err) {
        // Redis or the store down: the next trigger (reconnect or interval) tries again.
        opts.log.warn({ err: (err as Error).message }, 'sweep failed; will retry');
      }
    } while (again && !stopped);
  };
  const trigger = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = once().finally(() => (running = null));
    return running;
  };
  // The first 'ready' is the start-up connection; the process sweeps at start explicitly.
  let seenReady = opts.redis.status === 'ready';
  const onReady = () => {
    if (seenReady) {
      opts.log.info({}, 'Redis connection back: sweeping for work it may have lost');
      void trigger();
    }
    seenReady = true;
  };
  opts.redis.on('ready', onReady);
  const timer = setInterval(() => void trigger(), opts.intervalMs);
  timer.unref();
  return {
    now: trigger,
    async stop() {
      stopped = true;
      clearInterval(timer);
      opts.redis.off('ready', onReady);
      await running;
    },
  };
}

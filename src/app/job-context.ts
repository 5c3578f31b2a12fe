/** Builds the JobContext the processors in jobs/ run with, from this process's parts. */
import type { JobContext, JobQueue } from '../../jobs/index.js';
import { upvoteRefresher } from '../core/digest/upvote-refresher.js';
import type { Metrics } from '../core/metrics.js';
import { defaultIngestDays, ingestDays } from '../core/ingest-papers.js';
import type { ChatPlatform, PlatformName } from '../core/ports.js';
import type { ScheduleSync } from '../core/services.js';
import type { Core } from './build.js';

export type JobCore = Pick<Core, 'store' | 'index' | 'source' | 'digests' | 'clock' | 'log'>;

export function buildJobContext(deps: {
  core: JobCore;
  queue: JobQueue;
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  schedules: ScheduleSync;
  papersChanged: (ids: readonly string[]) => Promise<void>;
  metrics?: Metrics;
}): JobContext {
  const { core } = deps;
  const ensureFreshUpvotes = upvoteRefresher({
    store: core.store,
    clock: core.clock,
    log: core.log,
    refresh: async () => {
      await ingestDays({ source: core.source, store: core.store, clock: core.clock, log: core.log, announce: deps.papersChanged, ...(deps.metrics ? { metrics: deps.metrics } : {}) }, defaultIngestDays(core.clock.now()));
    },
  });
  return {
    store: core.store,
    index: core.index,
    source: core.source,
    digests: core.digests,
    clock: core.clock,
    log: core.log,
    schedules: deps.schedules,
    queue: deps.queue,
    platformFor: (name) => deps.platforms.get(name),
    ensureFreshUpvotes,
    papersChanged: deps.papersChanged,
    inFlight: new Set(),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };
}

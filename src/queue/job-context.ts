/** Builds the JobContext the processors in jobs/ run with, from this process's parts. */
import type { Redis } from 'ioredis';
import { defaultIngestDays } from '../../jobs/ingest.js';
import type { JobContext } from '../../jobs/context.js';
import { hintQueue, JOB } from '../../jobs/queues.js';
import type { Core } from '../compose.js';
import { ingestDay } from '../core/ingest.js';
import type { ChatPlatform, PlatformName } from '../core/ports.js';
import type { ScheduleSync } from '../core/services.js';
import { publishPapersChanged } from './events.js';
import { upvoteRefresher } from './freshness.js';
import type { Queues } from './queues.js';

export function buildJobContext(deps: { core: Core; queues: Queues; redis: Redis; platforms: ReadonlyMap<PlatformName, ChatPlatform>; schedules: ScheduleSync }): JobContext {
  const { core, queues, redis } = deps;
  const papersChanged = (ids: readonly string[]) => publishPapersChanged(redis, ids);
  const ensureFreshUpvotes = upvoteRefresher({
    store: core.store,
    clock: core.clock,
    log: core.log,
    async refresh() {
      const ids: string[] = [];
      for (const date of defaultIngestDays(core.clock.now())) {
        await ingestDay({ source: core.source, store: core.store, log: core.log, now: () => core.clock.now() }, date);
        ids.push(...(await core.store.papersFeaturedBetween(date, date)).map((p) => p.id));
      }
      await papersChanged(ids);
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
    platformFor: (name) => deps.platforms.get(name),
    async enqueueDeliver(payload, jobId) {
      await queues.digest(payload.platform).add(JOB.digestDeliver, payload, { jobId });
    },
    async enqueueHints(payload, jobId) {
      await queues.get(hintQueue(payload.platform)).add(JOB.hints, payload, { jobId, attempts: 3 });
    },
    ensureFreshUpvotes,
    papersChanged,
  };
}

/**
 * "Papers changed" between processes: the worker that ingests publishes, every bot
 * process subscribes and brings its own search index up to date (new papers rebuilt in,
 * upvote refreshes applied to the filter metadata).
 */
import type { Redis } from 'ioredis';
import type { Logger, PaperIndex, Store } from '../core/ports.js';
import { toIndexDoc } from '../core/ports.js';

/** The channel, under the install's QUEUE_PREFIX: another install on the same Redis has its own papers. */
export const papersChangedChannel = (prefix = 'papers'): string => `${prefix}:changed`;

/** At most this many ids travel in one message; the rest come with the next rebuild. */
const MAX_IDS = 2_000;

export async function publishPapersChanged(redis: Redis, ids: readonly string[], prefix?: string): Promise<void> {
  await redis.publish(papersChangedChannel(prefix), JSON.stringify({ ids: ids.slice(0, MAX_IDS) }));
}

/** Subscribes with a connection of its own (a subscribed connection can do nothing else). */
export async function followPapersChanged(subscriber: Redis, deps: { index: PaperIndex; store: Store; log: Logger }, prefix?: string): Promise<void> {
  const name = papersChangedChannel(prefix);
  subscriber.on('message', (channel: string, body: string) => {
    if (channel !== name) return;
    void (async () => {
      let ids: string[] = [];
      try {
        const parsed = JSON.parse(body) as { ids?: unknown };
        if (Array.isArray(parsed.ids)) ids = parsed.ids.filter((x): x is string => typeof x === 'string');
      } catch {
        deps.log.warn({ body: body.slice(0, 100) }, 'ignoring a malformed papers:changed message');
      }
      if (ids.length) deps.index.updateMeta((await deps.store.getPapers(ids)).map(toIndexDoc));
      await deps.index.refresh();
    })().catch((err: unknown) => deps.log.error({ err }, 'index refresh after papers:changed failed'));
  });
  await subscriber.subscribe(name);
}

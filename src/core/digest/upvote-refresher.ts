/**
 * "Before a digest is composed, that day's upvotes are refreshed if the last ingest is
 * older than 30 minutes": at 9:00 hundreds of digests ask at once, so one refresh runs
 * per process and the others wait for it. A failing refresh is logged and the digest
 * goes on with the upvotes it has.
 */
import { LAST_INGEST_KEY } from '../ingest-papers.js';
import type { Clock, Logger, Store } from '../ports.js';

export const STALE_AFTER_MS = 30 * 60 * 1000;

export function upvoteRefresher(deps: { store: Store; clock: Clock; log: Logger; refresh: () => Promise<void>; timeoutMs?: number }): () => Promise<void> {
  let running: Promise<void> | null = null;
  return async () => {
    const last = await deps.store.getMeta(LAST_INGEST_KEY);
    if (last && deps.clock.now().getTime() - Date.parse(last) < STALE_AFTER_MS) return;
    running ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          deps.refresh(),
          new Promise<void>((_, reject) => {
            timer = setTimeout(() => reject(new Error('upvote refresh timed out')), deps.timeoutMs ?? 15_000);
          }),
        ]);
      } catch (err) {
        deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'upvote refresh failed; using stored upvotes');
      } finally {
        clearTimeout(timer);
        running = null;
      }
    })();
    await running;
  };
}

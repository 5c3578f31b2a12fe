/**
 * The edit sweep of "live upvotes": every paper message posted in the last 48 hours whose
 * paper now has other upvote or comment counts than the message shows is edited to show
 * them (see core/live-messages.ts). It runs after an ingest that changed papers and with
 * the periodic sweep (jobs/edit-sweep-job.ts), over the rate-limited platform, where an
 * edit only takes capacity nothing else wants (call 'edit', like the 🔖 hints): a digest
 * is never delayed by one.
 *
 * An edit the platform refuses for good (the message was deleted, the channel is gone)
 * stops the watch on that message; any other failure leaves it for the next sweep.
 */
import { ChannelUnavailableError, RateLimitedError, UpstreamError } from '../errors.js';
import { LIVE_WINDOW_MS, sameCounts, withCounts, type DigestPaperMessage, type LiveMessage, type LiveMessageLog } from '../live-messages.js';
import type { ChatPlatform, Clock, Logger, Store } from '../ports.js';
import type { ChannelRef } from '../subscription.js';

export interface LiveCountsDeps {
  store: Pick<Store, 'getPapers'> & { deliveries: LiveMessageLog };
  clock: Clock;
  log: Logger;
}

export interface LiveSweepReport {
  /** Messages within the window. */
  watched: number;
  edited: number;
  /** Counts as shown: nothing to do. */
  unchanged: number;
  /** Watches stopped: the platform refused the edit for good. */
  dropped: number;
  /** Failed this time; tried again by the next sweep. */
  failed: number;
  /** Passed the 48 hours while the sweep ran (waiting for spare capacity). */
  expired: number;
}

/** Messages read (and their papers fetched) at a time. */
const PAGE = 500;

/** Edits the messages whose counts changed; see the file comment. */
export async function refreshLiveCounts(deps: LiveCountsDeps, platform: ChatPlatform, opts: { signal?: AbortSignal; pageSize?: number } = {}): Promise<LiveSweepReport> {
  const report: LiveSweepReport = { watched: 0, edited: 0, unchanged: 0, dropped: 0, failed: 0, expired: 0 };
  if (!platform.edit) return report;
  const { store, clock } = deps;
  const pageSize = opts.pageSize ?? PAGE;
  const windowStart = () => new Date(clock.now().getTime() - LIVE_WINDOW_MS).toISOString();
  // One window for the whole sweep, so pages do not shift under it (a prune running meanwhile
  // may still shift them: what a page skips then waits for the next sweep).
  const since = windowStart();
  let offset = 0;
  pages: for (;;) {
    const page = await store.deliveries.watched({ platform: platform.name, postedSince: since, limit: pageSize, offset });
    report.watched += page.length;
    const papers = new Map((page.length ? await store.getPapers([...new Set(page.map((m) => m.paperId))]) : []).map((p) => [p.id, p]));
    let droppedHere = 0;
    for (const m of page) {
      if (opts.signal?.aborted) break pages;
      const paper = papers.get(m.paperId);
      const counts = paper ? { upvotes: paper.upvotes, comments: paper.comments } : m.shown;
      if (sameCounts(counts, m.shown)) {
        report.unchanged++;
        continue;
      }
      // A sweep waiting for spare capacity may outlast a message's window: checked again per message.
      if (m.postedAt < windowStart()) {
        report.expired++;
        continue;
      }
      const ref: ChannelRef = { platform: m.platform, workspaceId: m.workspaceId, channelId: m.channelId };
      try {
        await platform.edit(ref, m.messageId, withCounts(m.message, counts), { idempotencyKey: m.idempotencyKey });
      } catch (err) {
        if (err instanceof RateLimitedError || (err instanceof UpstreamError && err.status === 429)) {
          // The platform wants fewer requests than even spare capacity allowed: the next sweep goes on.
          deps.log.warn({ err, edited: report.edited }, 'live counts: rate limited; leaving the rest to the next sweep');
          report.failed++;
          break pages;
        }
        if (refusedForGood(err)) {
          deps.log.info({ err, messageId: m.messageId, channel: m.channelId }, 'live counts: edit refused; no longer watching the message');
          await store.deliveries.unwatch(ref, m.messageId);
          report.dropped++;
          droppedHere++;
        } else {
          deps.log.warn({ err, messageId: m.messageId, channel: m.channelId }, 'live counts: edit failed; the next sweep tries again');
          report.failed++;
        }
        continue;
      }
      await store.deliveries.setShown(ref, m.messageId, counts);
      report.edited++;
    }
    if (page.length < pageSize) break;
    // The messages unwatched on this page no longer count in the offset.
    offset += page.length - droppedHere;
  }
  return report;
}

/** Deleted message, channel gone or closed, any other refusal the platform calls final. */
function refusedForGood(err: unknown): boolean {
  return err instanceof ChannelUnavailableError || (err instanceof UpstreamError && !err.retryable);
}

/**
 * Starts watching a paper message just posted. A nicety: a failure is logged, never a
 * failed digest (the message is posted and recorded; its counts just stay as posted).
 */
export async function watchPosted(deps: LiveCountsDeps, ref: ChannelRef, message: DigestPaperMessage, posted: { messageId: string; idempotencyKey: string; postedAt: string }): Promise<void> {
  const entry: LiveMessage = {
    platform: ref.platform,
    workspaceId: ref.workspaceId,
    channelId: ref.channelId,
    messageId: posted.messageId,
    paperId: message.paper.id,
    message,
    idempotencyKey: posted.idempotencyKey,
    postedAt: posted.postedAt,
    shown: { upvotes: message.paper.upvotes, comments: message.paper.comments },
  };
  try {
    await deps.store.deliveries.watch(entry);
  } catch (err) {
    deps.log.warn({ err, messageId: posted.messageId }, 'live counts: could not watch the message');
  }
}

/**
 * Paper messages whose counts stay current: for 48 hours after posting, a digest paper's
 * message is edited when the ingest brings new upvote or comment counts (issue 15, "live
 * upvotes"). The posted message is kept whole, so an edit changes the counts and nothing
 * else; the counts it shows are kept too, so a message is edited only when one changed.
 * The log lives with the outbox (`Store.deliveries`); the sweep is digest/live-counts.ts.
 */
import type { PaperId } from './paper.js';
import type { OutboundMessage } from './reply.js';
import type { ChannelRef, PlatformName } from './subscription.js';

/** How long after posting a message's counts are kept current. */
export const LIVE_WINDOW_MS = 48 * 3600_000;

export type DigestPaperMessage = Extract<OutboundMessage, { kind: 'digestPaper' }>;

export interface ShownCounts {
  upvotes: number | null;
  comments: number | null;
}

/** One posted paper message under watch. */
export interface LiveMessage extends ChannelRef {
  /** The platform's id for the message (Discord snowflake, Slack ts). */
  messageId: string;
  paperId: PaperId;
  /** The message as posted; an edit sends it again with the new counts. */
  message: DigestPaperMessage;
  /** The key it was posted with: a platform that carries it in the message (Discord, Slack metadata) keeps it there. */
  idempotencyKey: string;
  postedAt: string;
  /** The counts the message shows now. */
  shown: ShownCounts;
}

export interface LiveMessageLog {
  /** Starts watching a posted message; a message already watched is left as it is. */
  watch(m: LiveMessage): Promise<void>;
  /** Messages of `platform` posted at or after `postedSince` (ISO), oldest first (ties in record order); a page with `limit`/`offset`. */
  watched(opts: { platform: PlatformName; postedSince: string; limit?: number; offset?: number }): Promise<LiveMessage[]>;
  /** Platforms with messages posted at or after `postedSince` (ISO): the ones an edit sweep is worth queueing for. */
  watchedPlatforms(postedSince: string): Promise<PlatformName[]>;
  /** Records the counts an edit put on the message. */
  setShown(ref: ChannelRef, messageId: string, shown: ShownCounts): Promise<void>;
  /** Stops watching one message (deleted, or the platform refuses edits to it for good). */
  unwatch(ref: ChannelRef, messageId: string): Promise<void>;
  /** Drops messages posted before `before` (ISO); returns how many. */
  pruneWatched(before: string): Promise<number>;
}

/** The message with the paper's current counts; every other field as posted. */
export function withCounts(m: DigestPaperMessage, counts: ShownCounts): DigestPaperMessage {
  return { ...m, paper: { ...m.paper, upvotes: counts.upvotes, comments: counts.comments } };
}

export const sameCounts = (a: ShownCounts, b: ShownCounts): boolean => a.upvotes === b.upvotes && a.comments === b.comments;

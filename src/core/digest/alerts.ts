/**
 * Instant alerts: which newly featured papers match what a person follows, and the one
 * DM that lists them. Matching runs after every ingest that brought papers (jobs/alerts-job.ts);
 * what matched waits as a pending alert until the person's hourly window allows a DM,
 * so a busy morning is one message, not twenty.
 *
 * A paper is alerted once: the alert DM records it in the inbox's posted log, which the
 * inbox digest also reads, so neither repeats what the other sent.
 */
import { UserInputError } from '../errors.js';
import { inboxRef, MAX_INBOX_TOP, type Follow, type Inbox, type PendingAlert } from '../people.js';
import type { Paper, PaperId } from '../paper.js';
import type { Logger, PaperIndex, Store } from '../ports.js';
import type { OutboundMessage } from '../reply.js';
import { toPaperView } from '../views.js';
import { rankForDigest } from './rank.js';

/** An alert DM lists at most this many papers; the rest wait for the next window. */
export const MAX_ALERT_ITEMS = MAX_INBOX_TOP;

export interface AlertDeps {
  store: Store;
  index: PaperIndex;
  log: Logger;
  clock: { now(): Date };
}

/**
 * Pending alerts for papers featured on `days` that match one of `follows`, and that the
 * person has not been sent, bookmarked or already queued. Papers featured before the day a
 * topic was followed are old news for that topic.
 */
export async function newMatches(deps: AlertDeps, inbox: Inbox, follows: readonly Follow[], days: readonly string[]): Promise<PendingAlert[]> {
  if (!follows.length || !days.length) return [];
  const from = days.reduce((a, b) => (a < b ? a : b));
  const to = days.reduce((a, b) => (a > b ? a : b));
  const [posted, bookmarks, pending] = await Promise.all([
    deps.store.postedPaperIds(inboxRef(inbox)),
    deps.store.listBookmarks(inbox.platform, inbox.userId),
    deps.store.people.listPendingAlerts(inbox.platform, inbox.userId),
  ]);
  const known = new Set<PaperId>([...posted, ...bookmarks.map((b) => b.paperId), ...pending.map((p) => p.paperId)]);
  const topicOf = new Map<PaperId, Follow>();
  for (const f of follows) {
    try {
      const res = await deps.index.search(f.topic, { limit: 100, filters: { featuredFrom: from, featuredTo: to } });
      for (const h of res.hits) if (!known.has(h.id) && !topicOf.has(h.id)) topicOf.set(h.id, f);
    } catch (err) {
      if (!(err instanceof UserInputError)) throw err;
      deps.log.warn({ topic: f.topic, reason: err.userMessage }, 'followed topic is not searchable');
    }
  }
  if (!topicOf.size) return [];
  const papers = await deps.store.getPapers([...topicOf.keys()]);
  const now = deps.clock.now().toISOString();
  const out: PendingAlert[] = [];
  for (const p of papers) {
    const f = topicOf.get(p.id)!;
    const followedDay = f.createdAt.slice(0, 10);
    if (!p.featuredDates.some((d) => d >= from && d <= to && d >= followedDay)) continue;
    out.push({ platform: inbox.platform, userId: inbox.userId, workspaceId: inbox.workspaceId, paperId: p.id, topic: f.topic, addedAt: now });
  }
  return out;
}

/** The alert DM for these papers (best first), or null when none is left to send. */
export function composeAlert(papers: readonly Paper[], topicOf: ReadonlyMap<PaperId, string>, batch: string): Extract<OutboundMessage, { kind: 'alert' }> | null {
  const ranked = rankForDigest(papers).slice(0, MAX_ALERT_ITEMS);
  if (!ranked.length) return null;
  const n = ranked.length;
  return {
    kind: 'alert',
    batch,
    title: n === 1 ? '1 new paper matches what you follow' : `${n} new papers match what you follow`,
    items: ranked.map((p, i) => ({ paper: toPaperView(p, { rank: i + 1 }), topic: topicOf.get(p.id) ?? '' })),
  };
}

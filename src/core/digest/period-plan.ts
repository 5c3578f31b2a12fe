/**
 * Plans the digests that are not one channel's daily list: a weekly digest (a channel's or
 * a person's) and a person's inbox (daily or weekly). Both choose among the papers of a
 * window of featured days (the latest one, or the past seven), keep those that match any
 * of a list of topics, and leave out what the target already got (its posted log) and,
 * for a person, what they bookmarked.
 *
 * The window is named by its newest featured day: that day keys the posted log's header
 * and the delivery job, so a second tick for the same window posts nothing, and next
 * week's window (a newer newest day) is a new digest.
 */
import { isoWeekOf, weekChartData, type WeekChartData } from '../chart.js';
import { addDays, dayInZone, formatDay } from '../dates.js';
import { UserInputError } from '../errors.js';
import type { Paper, PaperId } from '../paper.js';
import type { Logger, PaperIndex, Store } from '../ports.js';
import type { OutboundMessage } from '../reply.js';
import type { Cadence, ChannelRef, DigestOrder } from '../subscription.js';
import { toPaperView } from '../views.js';
import { DEFAULT_LOOKBACK_DAYS, type Digest, type DigestMode } from './compose.js';
import { loadMomentum, MOMENTUM_WINDOW_MS, WEEK_MOMENTUM_WINDOW_MS } from './momentum-rate.js';
import { rankForDigest } from './rank.js';
import { dayThemes, themesLine } from './themes.js';

/** A weekly digest covers this many featured days. */
export const WEEK_FEATURED_DAYS = 7;
/** Hits asked per topic: more than a week of Daily Papers ever holds. */
const TOPIC_LIMIT = 100;

export interface PeriodTarget extends ChannelRef {
  timezone: string;
  every: Cadence;
  topN: number;
  minUpvotes: number;
  /** Papers must match one of these searches (none: every paper qualifies). */
  topics: readonly string[];
  /** Mark each paper with the topic it matched (a person's inbox; a channel's one topic is in its title). */
  markTopics: boolean;
  /** Left out besides the posted log (a person's bookmarks). */
  exclude?: ReadonlySet<PaperId>;
  /** "Your papers", "Trending papers": the title's first words. */
  label: string;
  /** A channel's order; a person's inbox has none and ranks by upvotes. */
  order?: DigestOrder;
}

export interface PeriodPlan {
  day: string;
  digest: Digest;
  messages: OutboundMessage[];
}

export interface PeriodDeps {
  store: Store;
  index: PaperIndex;
  clock: { now(): Date };
  log: Logger;
}

export async function planPeriod(deps: PeriodDeps, t: PeriodTarget, mode: DigestMode): Promise<PeriodPlan | { skip: string }> {
  const localToday = dayInZone(deps.clock.now(), t.timezone);
  const span = t.every === 'week' ? WEEK_FEATURED_DAYS : 1;
  const days = await deps.store.featuredDays({ onOrBefore: localToday, limit: span });
  const newest = days[0];
  const since = addDays(localToday, -(t.every === 'week' ? WEEK_FEATURED_DAYS + DEFAULT_LOOKBACK_DAYS : DEFAULT_LOOKBACK_DAYS));
  if (!newest || newest < since) return { skip: `no papers featured since ${since}` };
  const oldest = days[days.length - 1]!;
  const ref: ChannelRef = { platform: t.platform, workspaceId: t.workspaceId, channelId: t.channelId };
  const [candidates, posted, log] = await Promise.all([deps.store.papersFeaturedBetween(oldest, newest), deps.store.postedPaperIds(ref), deps.store.listPosted(ref, newest)]);
  if (mode === 'scheduled' && log.some((e) => e.kind === 'header')) return { skip: `nothing new: ${describeWindow(t.every, oldest, newest)} already delivered` };

  const inWindow = candidates.filter((p) => p.featuredDates.some((d) => d >= oldest && d <= newest));
  const matched = await topicOf(deps, t, oldest, newest);
  const pool = inWindow.filter((p) => !posted.has(p.id) && !t.exclude?.has(p.id) && (p.upvotes ?? 0) >= t.minUpvotes && (matched === null || matched.has(p.id)));
  const momentum = await loadMomentum(deps.store, deps.clock, pool, t.order ?? 'upvotes', t.every === 'week' ? WEEK_MOMENTUM_WINDOW_MS : MOMENTUM_WINDOW_MS);
  const papers = rankForDigest(pool, momentum).slice(0, t.topN);
  if (!papers.length) {
    const what = t.topics.length ? ' matching what you follow' : '';
    return { skip: `nothing new${what} in ${describeWindow(t.every, oldest, newest)}` };
  }
  const shown = matched === null ? inWindow : inWindow.filter((p) => matched.has(p.id));
  const themes = dayThemes(shown);
  const title = `${t.label}${t.every === 'week' ? ' of the week' : ''} · ${describeWindow(t.every, oldest, newest)}`;
  const digest: Digest = { day: newest, title, themes, themesLine: themesLine(themes), papers };
  const messages = periodMessages(digest, t.markTopics ? matched : null);
  // A week opens with its chart: the window's papers (those matching, when there are topics) by upvotes.
  if (t.every === 'week' && messages[0]?.kind === 'digestHeader') messages[0].chart = periodChart(shown, oldest, newest);
  return { day: newest, digest, messages };
}

/** The chart of a weekly window (its featured days, not a calendar week: the ISO week of its newest day names it). */
function periodChart(papers: readonly Paper[], oldest: string, newest: string): WeekChartData {
  return weekChartData(papers, { week: isoWeekOf(newest).week, from: oldest, to: newest });
}

/** "Fri 21 Aug 2026", or "Fri 14 Aug 2026 – Fri 21 Aug 2026" for a week. */
export function describeWindow(every: Cadence, oldest: string, newest: string): string {
  return every === 'week' && oldest !== newest ? `${formatDay(oldest)} – ${formatDay(newest)}` : formatDay(newest);
}

/** Paper id → the first topic (in the order given) it matched; null when there are no topics. */
async function topicOf(deps: PeriodDeps, t: PeriodTarget, from: string, to: string): Promise<Map<PaperId, string> | null> {
  if (!t.topics.length) return null;
  const out = new Map<PaperId, string>();
  for (const topic of t.topics) {
    try {
      const res = await deps.index.search(topic, { limit: TOPIC_LIMIT, filters: { featuredFrom: from, featuredTo: to } });
      for (const h of res.hits) if (!out.has(h.id)) out.set(h.id, topic);
    } catch (err) {
      // A topic the parser refuses today (it was accepted when followed) matches nothing.
      if (!(err instanceof UserInputError)) throw err;
      deps.log.warn({ topic, reason: err.userMessage }, 'followed topic is not searchable');
    }
  }
  return out;
}

function periodMessages(digest: Digest, topics: ReadonlyMap<PaperId, string> | null): OutboundMessage[] {
  const of = digest.papers.length;
  return [
    { kind: 'digestHeader', date: digest.day, title: digest.title, themesLine: digest.themesLine, count: of },
    ...digest.papers.map((p: Paper, i): OutboundMessage => {
      const topic = topics?.get(p.id);
      return { kind: 'digestPaper', date: digest.day, paper: toPaperView(p, { rank: i + 1 }), position: i + 1, of, ...(topic ? { topic } : {}) };
    }),
  ];
}

/**
 * Plans and delivers one channel's digest over the ports. The decisions are compose.ts's;
 * this file gathers the facts they need and posts the result exactly once:
 *
 * - Every message has a stable idempotency key (platform, channel, day, paper), and the
 *   posted log is written right after each message, so delivering the same plan again
 *   after a crash (or a failed post) posts only what is missing. A message that may have
 *   gone out without being recorded (a crash between the two) is looked up on the
 *   platform first (`findPosted`) or deduplicated by it (Discord's nonce).
 * - Planning queries only the few days it may pick, and searches the topic one day at a
 *   time, newest first, stopping at the first day with something to post.
 *
 * Two runs for the same channel must not overlap (the worker's job ids, built from
 * channel + day, see to that); the posted log then makes every run idempotent.
 */
import { dayInZone } from '../dates.js';
import { UserInputError } from '../errors.js';
import type { PaperId } from '../paper.js';
import type { ChatPlatform, Clock, DigestRunOutcome, Logger, PaperIndex, PostedEntry, PostedRef, Store } from '../ports.js';
import type { OutboundMessage } from '../reply.js';
import { channelKey, DEFAULT_SETTINGS, type ChannelRef, type DigestSettings } from '../subscription.js';
import { toPaperView } from '../views.js';
import { inboxRef, type Follow, type Inbox } from '../people.js';
import type { ChartRenderer } from '../chart.js';
import { watchPosted } from './live-counts.js';
import { loadMomentum } from './momentum-rate.js';
import { chartFiles } from './week-chart-files.js';
import { withPing, type DigestPing } from '../ping.js';
import { DigestThread, withThreads } from './thread-mode.js';
import { planPeriod, type PeriodTarget } from './period-plan.js';
import { chooseDigestDay, composeDigest, digestedDays, qualifying, type Digest, type DigestMode } from './compose.js';

/** What planning needs of a channel; a Subscription is one. */
export type DigestTarget = ChannelRef & Pick<DigestSettings, 'timezone' | 'topN' | 'minUpvotes' | 'topic'> & Partial<Pick<DigestSettings, 'every' | 'order'>> & { ping?: DigestPing | null; threads?: boolean };

export interface DigestPlan {
  day: string;
  digest: Digest;
  /** The header, then one message per paper in rank order; see digestMessageKey. */
  messages: OutboundMessage[];
}

/**
 * The stable idempotency key of a digest message: `${platform}:${channelId}:${day}:header`
 * or `…:${day}:${paperId}`. Derived from the message, so every retry computes the same one.
 */
export function digestMessageKey(ref: ChannelRef, message: OutboundMessage): string {
  const base = `${ref.platform}:${ref.channelId}`;
  switch (message.kind) {
    case 'digestHeader':
      // A continued header is not in the posted log (one header per day there); its key names where it starts.
      return message.continuedFrom ? `${base}:${message.date}:header:${message.continuedFrom}` : `${base}:${message.date}:header`;
    case 'digestPaper':
      return `${base}:${message.date}:${message.paper.id}`;
    case 'alert':
      return `${base}:alert:${message.batch}`;
    case 'notice':
      return `${base}:notice:${message.text.slice(0, 40)}`;
  }
}

export interface DigestServiceDeps {
  store: Store;
  index: PaperIndex;
  clock: Clock;
  log: Logger;
  /** Draws a weekly digest's chart for its header (week-chart-files.ts); without it the header posts alone. */
  charts?: ChartRenderer;
}

/**
 * How many featured days (about six weeks) `now` looks back for leftovers: older papers
 * are no longer trending, and the bound keeps one command from scanning the archive.
 */
export const NOW_SCAN_DAYS = 30;

/** The topic search asks for this many hits per day; a day never has nearly as many papers. */
const TOPIC_SEARCH_LIMIT = 100;

export class DigestService {
  constructor(private readonly deps: DigestServiceDeps) {}

  /**
   * The channel's digest; its header pings the subscription's role or group, if it has one
   * (ping.ts), and heads a thread of its papers in thread mode (thread-mode.ts).
   */
  async plan(sub: DigestTarget, mode: DigestMode): Promise<DigestPlan | { skip: string }> {
    const plan = await this.planChannel(sub, mode);
    return 'skip' in plan ? plan : { ...plan, messages: withThreads(withPing(plan.messages, sub.ping), sub.threads) };
  }

  private async planChannel(sub: DigestTarget, mode: DigestMode): Promise<DigestPlan | { skip: string }> {
    if (sub.every === 'week') {
      const topic = sub.topic?.trim() || null;
      const label = topic ? `Trending papers on “${topic.length > 60 ? `${topic.slice(0, 59)}…` : topic}”` : 'Trending papers';
      return planPeriod(this.deps, { ...channelOf(sub), timezone: sub.timezone, every: 'week', topN: sub.topN, minUpvotes: sub.minUpvotes, topics: topic ? [topic] : [], markTopics: false, label, order: sub.order ?? DEFAULT_SETTINGS.order }, mode);
    }
    const { store, clock } = this.deps;
    const ref = channelOf(sub);
    const log = this.deps.log.child({ channel: channelKey(ref), mode });
    // `??`: the inline dispatcher may hand over a channel without saved settings.
    const localToday = dayInZone(clock.now(), sub.timezone ?? DEFAULT_SETTINGS.timezone);
    // A scheduled run only ever considers the latest featured day (see compose.ts).
    const days = await store.featuredDays({ onOrBefore: localToday, limit: mode === 'scheduled' ? 1 : NOW_SCAN_DAYS });
    const [candidates, posted, logs] = await Promise.all([
      days.length ? store.papersFeaturedBetween(days[days.length - 1]!, days[0]!) : Promise.resolve([]),
      store.postedPaperIds(ref),
      // Only a scheduled run asks whether its day was digested (see chooseDigestDay).
      this.dayLogs(ref, mode === 'scheduled' ? days.slice(0, 1) : []),
    ]);
    const settings = {
      topN: sub.topN ?? DEFAULT_SETTINGS.topN,
      minUpvotes: sub.minUpvotes ?? DEFAULT_SETTINGS.minUpvotes,
      topic: sub.topic?.trim() || null,
    };
    const alreadyPosted = posted;
    const topicMatches = new Map<string, Set<PaperId>>();
    const unseen = new Set<string>();
    // Newest first, stopping at the first day with something to post: chooseDigestDay
    // picks the newest such day, so older days never need a topic search.
    for (const day of days) {
      const base = qualifying({ day, candidates, settings: { ...settings, topic: null }, alreadyPosted, topicMatches: null });
      if (!base.length) continue;
      if (settings.topic) {
        const matches = await this.topicMatches(settings.topic, day, log);
        topicMatches.set(day, matches);
        if (!base.some((p) => matches.has(p.id))) continue;
      }
      unseen.add(day);
      break;
    }

    const choice = chooseDigestDay({
      mode,
      localToday,
      featuredDaysDesc: days,
      digestedDays: digestedDays(logs),
      hasUnseen: (day) => unseen.has(day),
      filterNote: filterNote(settings),
    });
    if ('skip' in choice) {
      log.info({ reason: choice.skip, localToday }, 'digest skipped');
      return choice;
    }
    const { day } = choice;
    // Momentum (the trending order) of the day's papers, from their upvote history.
    const momentum = await loadMomentum(store, clock, candidates.filter((p) => p.featuredDates.includes(day)), sub.order ?? DEFAULT_SETTINGS.order);
    const digest = composeDigest({
      day,
      candidates,
      settings,
      alreadyPosted,
      topicMatches: settings.topic ? (topicMatches.get(day) ?? new Set()) : null,
      momentum,
    });
    if (!digest) {
      // Unreachable while hasUnseen and composeDigest agree; kept so a mismatch skips instead of posting nothing.
      const reason = `nothing new: no unseen papers on ${day}`;
      log.info({ reason, localToday }, 'digest skipped');
      return { skip: reason };
    }
    // Papers already posted here from this day (an earlier digest): this one follows on from them.
    const dayLog = logs.get(day) ?? (await this.deps.store.listPosted(ref, day));
    const before = dayLog.some((e) => e.kind === 'header') ? dayLog.filter((e) => e.kind === 'paper').length : null;
    return { day, digest, messages: toMessages(digest, before) };
  }

  /**
   * A person's inbox digest: the day's (or week's) top papers among those matching any
   * followed topic (each marked with it), or the whole list when nothing is followed;
   * never a paper the inbox already got or the person bookmarked.
   */
  async planInbox(inbox: Inbox, follows: readonly Follow[], bookmarked: ReadonlySet<PaperId>): Promise<DigestPlan | { skip: string }> {
    const target: PeriodTarget = {
      ...inboxRef(inbox),
      timezone: inbox.timezone,
      every: inbox.every,
      topN: inbox.topN,
      minUpvotes: inbox.minUpvotes,
      topics: follows.map((f) => f.topic),
      markTopics: true,
      exclude: bookmarked,
      label: 'Your papers',
    };
    return planPeriod(this.deps, target, 'scheduled');
  }

  /**
   * Posts the plan's messages that the posted log does not have yet, in order, recording
   * each right after it is sent; then adds the 🔖 hints, so rate-limited reactions never
   * delay the digest itself.
   *
   * Before each message goes out its key is handed to `onSending` (the worker keeps it in
   * the job's progress). A later attempt passes it back as `inFlightKey`: that one message
   * may have been posted by an attempt that died before recording it, so the platform is
   * asked (`findPosted`) before it is sent again. Every other message is either recorded
   * or was never sent, so exactly one lookup at most, however large the fan-out.
   */
  async deliver(
    sub: ChannelRef,
    plan: Pick<DigestPlan, 'day' | 'messages'>,
    platform: ChatPlatform,
    opts: {
      inFlightKey?: string;
      /**
       * The delivery was rebuilt from the outbox after Redis forgot it: the attempt that was
       * lost may have sent the first message the posted log lacks, so that one is looked up too.
       */
      recovered?: boolean;
      onSending?: (idempotencyKey: string) => Promise<void>;
      /**
       * Where the 🔖 hints go; by default they are added here, after the messages. A worker
       * queues them. `channelId` is where the messages are when not the subscription's
       * channel (a Discord thread): one call per place.
       */
      onHints?: (messageIds: string[], channelId?: string) => Promise<void>;
    } = {},
  ): Promise<DigestRunOutcome> {
    const { store, clock } = this.deps;
    const ref = channelOf(sub);
    if (platform.name !== ref.platform) {
      throw new Error(`deliver: channel is on ${ref.platform} but the platform is ${platform.name}`);
    }
    const log = this.deps.log.child({ channel: channelKey(ref), day: plan.day });
    // What an earlier attempt already posted: the day's header, any paper in this channel.
    const [entries, postedIds] = await Promise.all([store.listPosted(ref, plan.day), store.postedPaperIds(ref)]);
    const headerPosted = entries.some((e) => e.kind === 'header');
    // A continued header went out before its papers: it is done once any of them is recorded.
    const planPapers = plan.messages.flatMap((m) => (m.kind === 'digestPaper' ? [m.paper.id] : []));
    const continuedDone = planPapers.some((id) => postedIds.has(id));

    let posted = 0;
    let skipped = 0;
    let lookUpNext = opts.recovered === true;
    // Thread mode: the papers go under the header (thread-mode.ts).
    const thread = DigestThread.of(plan.messages, entries);
    // The 🔖 hints by the channel their messages are in (a thread's, or the subscription's).
    const hints = new Map<string, string[]>();
    for (const message of plan.messages) {
      const idempotencyKey = digestMessageKey(ref, message);
      const record = recordOf(message);
      const done =
        message.kind === 'digestHeader' && message.continuedFrom ? continuedDone : record?.kind === 'header' ? headerPosted : record?.paperId != null && postedIds.has(record.paperId);
      if (done) {
        skipped++;
        continue;
      }
      let sent: PostedRef;
      try {
        // A paper of a continued header that an earlier attempt sent: its id is asked for once.
        if (thread?.unresolved && message.kind === 'digestPaper') {
          const { header } = thread;
          await thread.resolve(async () => (platform.findPosted ? platform.findPosted(ref, digestMessageKey(ref, header), thread.optionsFor(header)) : null));
        }
        const place = thread?.optionsFor(message) ?? {};
        const mayHaveGone = opts.inFlightKey === idempotencyKey || lookUpNext;
        lookUpNext = false;
        const found = mayHaveGone && platform.findPosted ? await platform.findPosted(ref, idempotencyKey, place) : null;
        if (found) log.info({ idempotencyKey, messageId: found.messageId }, 'message found already posted; recording it');
        // A weekly header's chart, drawn only when the header is about to go (never for one already posted).
        const files = found ? [] : await chartFiles(this.deps.charts, message, log);
        if (!found) await opts.onSending?.(idempotencyKey);
        sent = found ?? (await platform.post(ref, message, { idempotencyKey, ...place, ...(files.length ? { files } : {}) }));
      } catch (err) {
        // Stop here: what was posted is recorded, and a retry resumes with this message.
        log.warn({ err, idempotencyKey, posted }, 'digest post failed');
        throw err;
      }
      const { messageId } = sent;
      if (message.kind === 'digestHeader') thread?.headerAt(sent);
      // Where the message is: its hint and live edits go there.
      const placed: ChannelRef = { ...ref, channelId: sent.channelId ?? ref.channelId };
      if (record) {
        const entry: PostedEntry = { ...ref, date: plan.day, ...record, messageId, postedAt: clock.now().toISOString() };
        await store.recordPosted(entry);
        // Its counts are kept current for 48 hours (live-counts.ts).
        if (message.kind === 'digestPaper') await watchPosted(this.deps, placed, message, { messageId, idempotencyKey, postedAt: entry.postedAt });
      }
      if (record?.kind === 'paper') {
        posted++;
        const here = hints.get(placed.channelId);
        if (here) here.push(messageId);
        else hints.set(placed.channelId, [messageId]);
      }
    }
    if (hints.size && platform.addBookmarkHint) {
      for (const [channelId, ids] of hints) {
        const there = channelId === ref.channelId ? undefined : channelId;
        if (opts.onHints) await opts.onHints(ids, there);
        else for (const messageId of ids) await this.addHint(platform, { ...ref, channelId }, messageId, log);
      }
    }
    log.info({ posted, alreadyPosted: skipped }, 'digest delivered');
    const outcome: DigestRunOutcome = { date: plan.day, posted };
    if (posted === 0) outcome.skippedReason = `nothing new: ${plan.day} already delivered`;
    return outcome;
  }

  /** Plan and deliver; a skipped plan is an outcome with `date: null`, not an error. */
  async run(sub: DigestTarget, mode: DigestMode, platform: ChatPlatform): Promise<DigestRunOutcome> {
    const plan = await this.plan(sub, mode);
    if ('skip' in plan) return { date: null, posted: 0, skippedReason: plan.skip };
    return this.deliver(sub, plan, platform);
  }

  private async dayLogs(ref: ChannelRef, days: readonly string[]): Promise<Map<string, PostedEntry[]>> {
    const logs = await Promise.all(days.map((d) => this.deps.store.listPosted(ref, d)));
    return new Map(days.map((d, i) => [d, logs[i]!]));
  }

  /** Ids matching the topic on one day. A topic with nothing searchable matches nothing. */
  private async topicMatches(topic: string, day: string, log: Logger): Promise<Set<PaperId>> {
    try {
      const res = await this.deps.index.search(topic, {
        limit: TOPIC_SEARCH_LIMIT,
        filters: { featuredFrom: day, featuredTo: day },
      });
      return new Set(res.hits.map((h) => h.id));
    } catch (err) {
      if (!(err instanceof UserInputError)) throw err;
      log.warn({ topic, reason: err.userMessage }, 'digest topic is not searchable');
      return new Set();
    }
  }

  /** The 🔖 hint is a nicety: failing to add it must not fail (and so retry) the digest. */
  async addHint(platform: ChatPlatform, ref: ChannelRef, messageId: string, log: Logger): Promise<void> {
    if (!platform.addBookmarkHint) return;
    try {
      await platform.addBookmarkHint(ref, messageId);
    } catch (err) {
      log.warn({ err, messageId }, 'bookmark hint failed');
    }
  }
}

/** Header first, then the papers in rank order. */
/**
 * The header, then the papers in rank order. `before` is how many papers of this day the
 * channel already got under a header of its own (null: none): the header then says
 * "More" and the numbering carries on, as a reader scrolling the channel expects.
 */
function toMessages(digest: Digest, before: number | null = null): OutboundMessage[] {
  const offset = before ?? 0;
  const of = offset + digest.papers.length;
  const header: OutboundMessage =
    before === null
      ? { kind: 'digestHeader', date: digest.day, title: digest.title, themesLine: digest.themesLine, count: digest.papers.length }
      : { kind: 'digestHeader', date: digest.day, title: digest.title.replace(/^Trending papers/, 'More trending papers'), themesLine: digest.themesLine, count: digest.papers.length, continuedFrom: offset + 1 };
  return [
    header,
    ...digest.papers.map(
      (p, i): OutboundMessage => ({ kind: 'digestPaper', date: digest.day, paper: toPaperView(p, { rank: offset + i + 1 }), position: offset + i + 1, of }),
    ),
  ];
}

/** How a message appears in the posted log; notices and continued headers (the day has its header) are not recorded. */
function recordOf(m: OutboundMessage): Pick<PostedEntry, 'kind' | 'paperId'> | null {
  if (m.kind === 'digestHeader') return m.continuedFrom ? null : { kind: 'header', paperId: null };
  if (m.kind === 'digestPaper') return { kind: 'paper', paperId: m.paper.id };
  return null;
}

/** Only the channel: a Subscription carries settings the platform has no business seeing. */
function channelOf(c: ChannelRef): ChannelRef {
  return { platform: c.platform, workspaceId: c.workspaceId, channelId: c.channelId };
}

function filterNote(s: Pick<DigestSettings, 'minUpvotes' | 'topic'>): string {
  const parts: string[] = [];
  if (s.topic) parts.push(` matching “${s.topic}”`);
  if (s.minUpvotes > 0) parts.push(` with at least ${s.minUpvotes} upvotes`);
  return parts.join('');
}

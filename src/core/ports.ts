/**
 * The ports: the only boundaries between the core and the world. Implementations are
 * constructed in the wiring place (src/app/: build.ts, queue-side.ts) and nowhere
 * else, so a test can hand the core any fake that honours these contracts.
 */
import type { LiveMessageLog } from './live-messages.js';
import type { PeopleStore } from './people.js';
import type { UpvoteHistory } from './momentum.js';
import type { Paper, PaperId } from './paper.js';
import type { OutboundMessage, Reply } from './reply.js';
import type { ChannelRef, PlatformName, Subscription } from './subscription.js';
import type { LinkCardsRequest } from './linked-papers.js';
import type { PingResolver } from './ping.js';

export type { ChannelRef, PlatformName, Subscription } from './subscription.js';
export type { PeopleStore } from './people.js';
export { toIndexDoc } from './paper-index.js';
export type { IndexDoc, PaperIndex, SearchFilters, SearchHit, SearchOptions, SearchResult } from './paper-index.js';

// ─── Time and logs ───────────────────────────────────────────────────────────────────

/** Injected so digests, "today" and schedules can be tested at any instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The subset of pino the core uses; a pino logger satisfies it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * Keys seen before, for deliveries a sender repeats (Slack retries an event, a request
 * can be replayed): true the first time `key` is seen within `ttlMs`, false for a repeat.
 * In Redis it is shared by every process, so a retry landing on another one is caught.
 */
export interface SeenStore {
  firstTime(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * Turns shared by every process of the bot, for a limit Discord counts per bot rather than
 * per connection (one gateway IDENTIFY per bucket every 5 s): `take` resolves once the
 * caller holds `bucket` for `windowMs`, and nobody else does.
 */
export interface TurnGate {
  take(bucket: string, windowMs: number, signal?: AbortSignal): Promise<void>;
}

// ─── Sources ─────────────────────────────────────────────────────────────────────────

/**
 * Where papers come from. `fetchDay` returns the papers featured (or listed) on one
 * day, already normalised and merged by id; an empty array means the source has no
 * list that day (weekends, holidays, a day that has not started filling yet).
 * Failures throw UpstreamError (network, HTTP status) or MalformedDataError (a body
 * that is not the expected JSON), never a raw TypeError. An upstream API may skip single
 * bad items (logging and counting each) rather than fail the day.
 */
export interface PaperSource {
  readonly name: string;
  fetchDay(date: string, signal?: AbortSignal): Promise<Paper[]>;
  /** Days from `from` to `to` inclusive, oldest first. Stops at the first failure. */
  fetchRange(from: string, to: string, signal?: AbortSignal): AsyncIterable<{ date: string; papers: Paper[] }>;
}

// ─── Store ───────────────────────────────────────────────────────────────────────────

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Store revision after the write; bumps only when a paper's searchable text changed. */
  revision: number;
}

export interface Bookmark {
  platform: PlatformName;
  userId: string;
  paperId: PaperId;
  /** ISO timestamp. */
  createdAt: string;
}

/** One platform message the bot posted, so reactions map back to papers and retries skip it. */
export interface PostedEntry extends ChannelRef {
  /** Featured day of the digest. */
  date: string;
  kind: 'header' | 'paper';
  /** Null for the header. */
  paperId: PaperId | null;
  /** The platform's id for the message (Discord snowflake, Slack ts). */
  messageId: string;
  postedAt: string;
}

/** A Slack (or other) OAuth installation; `data` is the platform's own object. */
export interface Install {
  platform: PlatformName;
  workspaceId: string;
  data: unknown;
  installedAt: string;
}

export interface StoreStats {
  papers: number;
  featuredPapers: number;
  featuredDays: number;
  firstFeaturedDate: string | null;
  lastFeaturedDate: string | null;
  subscriptions: number;
  bookmarks: number;
  posted: number;
  revision: number;
}

/**
 * Everything the bot remembers. Methods are async so a networked implementation can
 * honour the same contract (test/store/contract.ts runs against every one). Writes
 * are atomic: a batch is stored whole or not at all.
 */
export interface Store {
  // Papers
  /**
   * Merges each paper into what is stored (see mergePapers; duplicates within the batch
   * are merged first) in one transaction. Rejects the whole batch with an Error when a
   * merged record has no id or title, or featured dates that are not ascending unique
   * YYYY-MM-DD days; nothing of the batch is kept then.
   */
  upsertPapers(papers: readonly Paper[]): Promise<UpsertResult>;
  getPaper(id: PaperId): Promise<Paper | null>;
  /** Papers in the order of `ids`; unknown ids are skipped. */
  getPapers(ids: readonly PaperId[]): Promise<Paper[]>;
  /** Papers featured on any day in [from, to] (inclusive), each once, ordered by id. */
  papersFeaturedBetween(from: string, to: string): Promise<Paper[]>;
  /** Distinct featured days, newest first, on or before `onOrBefore` when given. */
  featuredDays(opts?: { onOrBefore?: string; limit?: number }): Promise<string[]>;
  /** Keyset paging over every paper by id, for index builds. */
  listPapers(opts: { afterId?: PaperId; limit: number }): Promise<Paper[]>;
  countPapers(): Promise<number>;
  /** Bumps whenever a paper's searchable text (title, abstract, authors, keywords) changes. */
  revision(): Promise<number>;
  stats(): Promise<StoreStats>;

  // Subscriptions (one per channel)
  getSubscription(ref: ChannelRef): Promise<Subscription | null>;
  /**
   * Inserts or replaces the channel's subscription; returns it as stored. Replacing keeps
   * the original `createdBy` and `createdAt`.
   */
  saveSubscription(sub: Subscription): Promise<Subscription>;
  deleteSubscription(ref: ChannelRef): Promise<boolean>;
  listSubscriptions(opts?: { platform?: PlatformName; includePaused?: boolean }): Promise<Subscription[]>;
  /** False when the channel has no subscription. Resuming clears the reason. */
  setPaused(ref: ChannelRef, paused: boolean, reason: string | null): Promise<boolean>;

  // Bookmarks
  /** True when it is new. */
  addBookmark(b: Bookmark): Promise<boolean>;
  /** True when something was removed. */
  removeBookmark(platform: PlatformName, userId: string, paperId: PaperId): Promise<boolean>;
  /** Newest first. */
  listBookmarks(platform: PlatformName, userId: string): Promise<Bookmark[]>;

  // Posted log
  /**
   * Idempotent: one header per channel and day, one entry per paper and channel (a paper
   * featured again on a later day counts as posted); repeats are ignored.
   */
  recordPosted(entry: PostedEntry): Promise<void>;
  /** When a message carries several entries, the paper wins over the header (reactions are about papers). */
  findPostedByMessage(platform: PlatformName, channelId: string, messageId: string): Promise<PostedEntry | null>;
  /** Every paper already posted to the channel, on any day. */
  postedPaperIds(ref: ChannelRef): Promise<Set<PaperId>>;
  /** Entries for one channel and featured day: the header, then papers by `postedAt` (ties in record order). */
  listPosted(ref: ChannelRef, date: string): Promise<PostedEntry[]>;

  // Installs
  saveInstall(install: Install): Promise<void>;
  getInstall(platform: PlatformName, workspaceId: string): Promise<Install | null>;
  deleteInstall(platform: PlatformName, workspaceId: string): Promise<boolean>;

  // Planned deliveries (the outbox) and handled schedule slots
  readonly deliveries: DeliveryLog;

  // A person's followed topics, inbox, pending alerts, and forgetting them
  readonly people: PeopleStore;
  readonly upvotes: UpvoteHistory;

  // Small key/value state (last ingest time, settings of a workspace, parked pager state …)
  getMeta(key: string): Promise<string | null>;
  /** `expiresAt` (ISO): `pruneMeta` deletes the value once that has passed (setting it again without one keeps it for good). */
  setMeta(key: string, value: string, opts?: { expiresAt?: string }): Promise<void>;
  /** Deletes values whose `expiresAt` is before `now` (ISO); returns how many. */
  pruneMeta(now: string): Promise<number>;

  close(): Promise<void>;
}

// ─── Outbox ──────────────────────────────────────────────────────────────────────────

/**
 * A digest as planned: the messages it will post, written to the store before its job is
 * queued. Redis holds the work in flight; this is the truth a sweep rebuilds it from (see
 * jobs/sweep.ts). The posted log still decides what is posted, so replaying one is harmless.
 */
export interface PlannedDelivery extends ChannelRef {
  /** The delivery job's id (jobs/deliver-job.ts deliverJobId). */
  id: string;
  day: string;
  mode: 'scheduled' | 'now';
  messages: OutboundMessage[];
  plannedAt: string;
  /** Set once every message is posted, or when the delivery was given up (see outcome). */
  finishedAt: string | null;
  outcome: string | null;
}

export interface DeliveryLog extends LiveMessageLog {
  /**
   * Writes a plan and returns the one stored: an unfinished plan with the same id wins
   * (retries post what was planned first); a finished one is reopened with these messages.
   */
  plan(d: Omit<PlannedDelivery, 'finishedAt' | 'outcome'>): Promise<PlannedDelivery>;
  get(id: string): Promise<PlannedDelivery | null>;
  finish(id: string, outcome: string, at: string): Promise<void>;
  /** Unfinished plans made at or after `plannedSince` (ISO), oldest first. */
  unfinished(opts: { plannedSince: string; platforms?: readonly PlatformName[] }): Promise<PlannedDelivery[]>;
  /** Records that a subscription's scheduled slot on its local day was planned (posted or skipped). */
  markSlot(ref: ChannelRef, localDay: string, at: string): Promise<void>;
  /** Slots handled on local days at or after `fromDay`, as slotKey(ref, day). */
  handledSlots(fromDay: string): Promise<Set<string>>;
  /** Drops finished plans finished before `before` and slots of days before `beforeDay`. */
  prune(before: string, beforeDay: string): Promise<number>;
}

export const slotKey = (ref: ChannelRef, localDay: string): string => `${ref.platform}|${ref.workspaceId}|${ref.channelId}|${localDay}`;

// ─── Search: the PaperIndex port and its types live in paper-index.ts ────────────────

// ─── Chat platforms ──────────────────────────────────────────────────────────────────

export interface InvokerPermissions {
  /** Discord Manage Channels; on Slack, decided by the workspace's subscribe policy. */
  manageChannel: boolean;
  /** Guild administrator / Slack workspace admin or owner. */
  workspaceAdmin: boolean;
  /** Discord Manage Roles; Slack: a workspace admin. Needed to set a digest ping (ping.ts). */
  manageRoles?: boolean;
}

/** A slash command, already parsed into a subcommand and typed options. */
export interface CommandInvocation extends ChannelRef {
  /** Interaction id, trigger id …, for logs. */
  id: string;
  userId: string;
  userName?: string;
  command: string;
  options: Record<string, string | number | boolean | undefined>;
  permissions: InvokerPermissions;
  /** What `--ping` names, from the platform (a resolved Discord role, a Slack user group); absent: pings unsupported. */
  pings?: PingResolver;
}

/** A reaction added or removed on a message the bot may have posted. */
export interface ReactionEvent extends ChannelRef {
  messageId: string;
  userId: string;
  /** Unicode emoji or a platform name such as "bookmark". */
  emoji: string;
  added: boolean;
  /** Set by adapters that know which paper a message shows (message metadata). */
  paperId?: PaperId;
  /** The channel a thread belongs to, when the reaction is in a thread (thread mode posts papers there; the posted log names the channel). */
  threadParentId?: string;
  /** Reactions by bots (ours included) are ignored by the core. */
  byBot?: boolean;
}

/** A button press; `actionId` is what a renderer put in the button (see core/actions.ts). */
export interface ActionEvent extends ChannelRef {
  id: string;
  userId: string;
  actionId: string;
  permissions: InvokerPermissions;
}

export interface PlatformHandlers {
  command(inv: CommandInvocation): Promise<Reply>;
  reaction(ev: ReactionEvent): Promise<void>;
  /** Returns the updated reply for the message the button sits on, or a new ephemeral one. */
  action(ev: ActionEvent): Promise<Reply | null>;
  /** Suggestions for an option being typed (paper ids, timezones). */
  autocomplete?(kind: 'paper' | 'timezone', text: string): Promise<{ name: string; value: string }[]>;
  /** Cards for the papers a message links to (Slack unfurls, Discord's "Paper cards"); see linked-papers.ts. */
  linkCards?(req: LinkCardsRequest): Promise<Reply>;
}

export interface PostOptions {
  /**
   * Stable key for this message (platform+channel+date+paper). Implementations use it
   * for the platform's own idempotency where one exists (Discord nonce), so a retried
   * post after a crash does not show twice.
   */
  idempotencyKey?: string;
  /** Files posted with the message (a weekly digest header's chart PNG); a platform that cannot attach them posts without. */
  files?: { name: string; data: Uint8Array; contentType: string }[];
  /**
   * Thread mode (settings --threads on, digest/thread-mode.ts). On a header: it heads a
   * thread of this name (a Discord forum channel makes it the forum post's first message).
   * On a paper, with `parentMessageId` (the header's id): the paper goes in that thread,
   * which the platform creates on first use; where it cannot (no permission, a channel that
   * takes no threads), the paper goes in the channel itself.
   */
  thread?: ThreadPlacement;
}

export interface ThreadPlacement {
  /** The thread's name (≤ 100 characters), from the header. */
  name: string;
  parentMessageId?: string;
}

export interface PostedRef {
  messageId: string;
  /**
   * Where the message landed when that is not the channel it was posted to: a Discord
   * thread's channel id (a Slack thread reply stays in its channel). Reactions, edits and
   * lookups of the message go there.
   */
  channelId?: string;
}

/**
 * A chat platform. Adapters translate SDK events into invocations and reactions and
 * render replies; they never decide what to answer.
 */
export interface ChatPlatform {
  readonly name: PlatformName;
  start(handlers: PlatformHandlers): Promise<void>;
  stop(): Promise<void>;
  /** Posts a message of the bot's own into a channel. */
  post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef>;
  /** Adds the bookmark hint reaction under a posted paper (optional capability). */
  addBookmarkHint?(channel: ChannelRef, messageId: string): Promise<void>;
  /**
   * Optional: a message this bot already posted in the channel with this idempotency key
   * (Slack: the key in message metadata, found in recent history), or null. Called before
   * re-sending after an attempt that may have posted without recording it.
   */
  findPosted?(channel: ChannelRef, idempotencyKey: string, opts?: Pick<PostOptions, 'thread'>): Promise<PostedRef | null>;
  /**
   * Optional, for inboxes (`dm:<user>` refs): false while posting would first need a
   * request of its own to open the DM; `openInbox` makes it, so a pacing caller can give
   * that request its own turn under the shared limits.
   */
  inboxOpen?(channel: ChannelRef): boolean;
  openInbox?(channel: ChannelRef): Promise<void>;
  /** Optional: replaces a posted message's content with `message` (live counts); `opts.idempotencyKey` is the one it was posted with. */
  edit?(channel: ChannelRef, messageId: string, message: OutboundMessage, opts?: PostOptions): Promise<void>;
  /** Optional: whether the connection is up now (gateway ready, receiver listening), for /readyz. */
  isConnected?(): boolean;
}

// ─── Digest delivery ─────────────────────────────────────────────────────────────────

export interface DigestRunOutcome {
  /** The featured day posted, or null when there was nothing new. */
  date: string | null;
  posted: number;
  skippedReason?: string;
}

/**
 * Runs a channel's digest now. In-process in the console; a BullMQ job in the worker,
 * so `/papers digest now` and the schedule share one idempotent path.
 */
export interface DigestDispatcher {
  /**
   * Plans the channel's `now` digest at once (so "nothing new" is answered right away)
   * and posts it: in-process, or by queueing its delivery (`queued`, with what it holds).
   */
  runNow(sub: Subscription | (ChannelRef & Partial<Subscription>)): Promise<DigestRunOutcome | { queued: true; date: string; papers: number }>;
}

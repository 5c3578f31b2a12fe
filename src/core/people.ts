/**
 * A person's own inbox: the topics they follow, the digest the bot sends them by direct
 * message, and the instant alerts it batches for them. Validation lives here, like a
 * channel's (subscription.ts), so every platform refuses the same bad values the same way.
 *
 * An inbox is delivered through the same machinery as a channel: its messages go to the
 * ChannelRef `inboxRef` names (channel id `dm:<user>`), so the outbox, the posted log, the
 * idempotency keys and the sweep's recovery all apply unchanged, and "never the same paper
 * twice in this inbox" is the posted log of that ref. Platforms turn `dm:<user>` into a
 * direct-message channel when they post (isInboxChannel).
 */
import { UserInputError } from './errors.js';
import type { PaperId } from './paper.js';
import { DEFAULT_SETTINGS, type ChannelRef, type DigestSettings, type PlatformName, type Weekday } from './subscription.js';
import { clip } from './text.js';

export type { Cadence } from './subscription.js';

/** At most this many followed topics a person: each costs a search per digest and per ingest. */
export const MAX_FOLLOWS = 25;
/** A new topic must have matched something featured in this many days, or it is refused. */
export const FOLLOW_LOOKBACK_DAYS = 90;
/** Instant alerts: at most one DM per person in this window, listing every new match. */
export const ALERT_WINDOW_MS = 3600_000;
/** The inbox digest holds at most this many papers (`--top`). */
export const MAX_INBOX_TOP = 25;

/** A followed topic: a search query (`speculative decoding`, `author:hinton`). */
export interface Follow {
  platform: PlatformName;
  userId: string;
  topic: string;
  /** ISO; follows are listed (and numbered) oldest first. */
  createdAt: string;
}

export interface InboxSettings extends Omit<DigestSettings, 'topic' | 'order'> {
  /** A DM as soon as a newly featured paper matches a followed topic (batched, see ALERT_WINDOW_MS). */
  instant: boolean;
}

export interface Inbox extends InboxSettings {
  platform: PlatformName;
  userId: string;
  /**
   * Where the DM is sent from: the Slack team whose token opens the conversation; on
   * Discord the guild (or "@me") the person last set it from, for logs only.
   */
  workspaceId: string;
  /** False: no digest is scheduled (off, or paused because a DM could not be delivered). */
  enabled: boolean;
  /** Why it is off when the bot turned it off (a DM refused); null when the person did. */
  pausedReason: string | null;
  /** The person has been told about the pause (the next command they ran said so). */
  pauseNoticeShown: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A newly featured paper waiting for its alert DM. One per person and paper. */
export interface PendingAlert {
  platform: PlatformName;
  userId: string;
  workspaceId: string;
  paperId: string;
  /** The followed topic it matched. */
  topic: string;
  addedAt: string;
}

/** What forgetting a person deleted, for the reply and the operator's CLI. */
export interface ForgetReport {
  bookmarks: number;
  follows: number;
  inbox: boolean;
  /** Rows of the inbox's posted log and planned deliveries. */
  posted: number;
  deliveries: number;
  pendingAlerts: number;
}

/** A channel's defaults, an hour earlier (before the working day), and no instant alerts. */
export const DEFAULT_INBOX: InboxSettings = (({ topic: _topic, order: _order, ...schedule }) => ({ ...schedule, hour: 8, instant: false }))(DEFAULT_SETTINGS);

const DM_PREFIX = 'dm:';

/** Meta key: when the person's last alert DM went out (expires with its window). */
export const lastAlertKey = (platform: PlatformName, userId: string): string => `alert:last:${platform}:${userId}`;

/** The channel an inbox's messages are delivered to. */
export function inboxRef(i: Pick<Inbox, 'platform' | 'workspaceId' | 'userId'>): ChannelRef {
  return { platform: i.platform, workspaceId: i.workspaceId, channelId: `${DM_PREFIX}${i.userId}` };
}

/** True for a channel id made by inboxRef: the platform opens a DM with the user instead. */
export function isInboxChannel(channelId: string): boolean {
  return channelId.startsWith(DM_PREFIX);
}

/** The user an inbox channel id names (see inboxRef). */
export function inboxUser(channelId: string): string {
  if (!isInboxChannel(channelId)) throw new Error(`not an inbox channel: ${channelId}`);
  return channelId.slice(DM_PREFIX.length);
}

export function validateInboxTop(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_INBOX_TOP) throw new UserInputError(`--top must be a whole number from 1 to ${MAX_INBOX_TOP}.`);
  return n;
}

/** A weekly digest goes out on one weekday. */
export function weeklyDay(days: readonly Weekday[]): Weekday[] {
  if (days.length !== 1) throw new UserInputError('A weekly digest goes out on one day: give one weekday, e.g. --weekdays mon.');
  return [...days];
}

/** A topic as typed, trimmed; refused when empty or too long. Searchability is checked by the command. */
export function cleanTopic(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) throw new UserInputError('Give a topic to follow, e.g. /papers follow speculative decoding.');
  if (t.length > 200) throw new UserInputError(`A topic can be at most 200 characters; "${clip(t, 40)}" is longer.`);
  return t;
}

/** The same topic, whatever its case and spacing. */
export const sameTopic = (a: string, b: string): boolean => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

// ─── The port (Store.people) ─────────────────────────────────────────────────────────

/**
 * What the bot keeps about one person (keyed by platform and user id, like bookmarks):
 * followed topics, the inbox, the alerts waiting for their DM. `forget` deletes all of it
 * and everything else about the person in one transaction (see ForgetReport).
 */
export interface PeopleStore {
  /** False when the person already follows this topic (same text, any case). */
  addFollow(f: Follow): Promise<boolean>;
  /** Oldest first: the order `/papers following` numbers them in. */
  listFollows(platform: PlatformName, userId: string): Promise<Follow[]>;
  /** Removes the topic (same text, any case); false when it was not followed. */
  removeFollow(platform: PlatformName, userId: string, topic: string): Promise<boolean>;

  getInbox(platform: PlatformName, userId: string): Promise<Inbox | null>;
  /** Inserts or replaces; replacing keeps the original `createdAt`. Returns it as stored. */
  saveInbox(inbox: Inbox): Promise<Inbox>;
  /** Every inbox (enabled only unless `includeDisabled`), by platform and user. */
  listInboxes(opts?: { platform?: PlatformName; includeDisabled?: boolean; instantOnly?: boolean }): Promise<Inbox[]>;

  /** Adds what is not pending yet (one per person and paper); returns how many were new. */
  addPendingAlerts(alerts: readonly PendingAlert[]): Promise<number>;
  /** Oldest first. */
  listPendingAlerts(platform: PlatformName, userId: string): Promise<PendingAlert[]>;
  /** People with pending alerts, for the sweep. */
  peopleWithPendingAlerts(): Promise<{ platform: PlatformName; userId: string; workspaceId: string }[]>;
  clearPendingAlerts(platform: PlatformName, userId: string, paperIds: readonly PaperId[]): Promise<number>;

  /**
   * Deletes everything about the person in one transaction: bookmarks, follows, inbox,
   * pending alerts, and the posted log and planned deliveries of their inbox channel
   * (`dm:<userId>`, any workspace). Meta keys are the caller's (`forgetMeta`).
   */
  forget(platform: PlatformName, userId: string): Promise<ForgetReport>;
}


/**
 * The people tables' rows (follows, inboxes, pending alerts) and their mapping, shared by
 * the SQL stores (see PeopleStore in src/core/people.ts); `topicKey` is the one rule for
 * "the same topic" every store keys follows by.
 */
import type { Follow, Inbox, PendingAlert } from '../core/people.js';
import type { Cadence, PlatformName, Weekday } from '../core/subscription.js';

/** A topic whatever its case and spacing (the rule of sameTopic): follows are unique per person on it. */
export const topicKey = (topic: string): string => topic.trim().replace(/\s+/g, ' ').toLowerCase();

export interface FollowRow {
  platform: PlatformName;
  user_id: string;
  topic: string;
  created_at: string;
}

/** SQLite turns its text weekdays and 0/1 booleans into this shape first. */
export interface InboxRow {
  platform: PlatformName;
  user_id: string;
  workspace_id: string;
  hour: number;
  minute: number;
  timezone: string;
  weekdays: number[];
  every: Cadence;
  top_n: number;
  min_upvotes: number;
  instant: boolean;
  enabled: boolean;
  paused_reason: string | null;
  pause_notice_shown: boolean;
  created_at: string;
  updated_at: string;
}

export interface PendingAlertRow {
  platform: PlatformName;
  user_id: string;
  workspace_id: string;
  paper_id: string;
  topic: string;
  added_at: string;
}

export function rowToFollow(r: FollowRow): Follow {
  return { platform: r.platform, userId: r.user_id, topic: r.topic, createdAt: r.created_at };
}

export function rowToInbox(r: InboxRow): Inbox {
  return {
    platform: r.platform,
    userId: r.user_id,
    workspaceId: r.workspace_id,
    hour: r.hour,
    minute: r.minute,
    timezone: r.timezone,
    weekdays: r.weekdays as Weekday[],
    every: r.every,
    topN: r.top_n,
    minUpvotes: r.min_upvotes,
    instant: r.instant,
    enabled: r.enabled,
    pausedReason: r.paused_reason,
    pauseNoticeShown: r.pause_notice_shown,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function rowToPendingAlert(r: PendingAlertRow): PendingAlert {
  return { platform: r.platform, userId: r.user_id, workspaceId: r.workspace_id, paperId: r.paper_id, topic: r.topic, addedAt: r.added_at };
}

/**
 * Row shapes and row → model mapping shared by the SQL stores. Both schemas use the same
 * column names; where a column's SQL type differs (weekdays, paused), each store turns its
 * row into this shape first.
 */
import type { PostedEntry } from '../core/ports.js';
import type { Cadence, DigestOrder, PlatformName, Subscription, Weekday } from '../core/subscription.js';

export interface SubscriptionRow {
  platform: PlatformName;
  workspace_id: string;
  channel_id: string;
  hour: number;
  minute: number;
  timezone: string;
  weekdays: number[];
  every: Cadence;
  top_n: number;
  min_upvotes: number;
  topic: string | null;
  /** `order` is an SQL keyword. */
  digest_order: DigestOrder;
  /** The digest header's ping (migration 8): all three set, or all null. */
  ping_kind: 'role' | 'usergroup' | null;
  ping_id: string | null;
  ping_name: string | null;
  /** settings --threads (migration 9). */
  threads: boolean;
  paused: boolean;
  paused_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface PostedRow {
  platform: PlatformName;
  workspace_id: string;
  channel_id: string;
  day: string;
  kind: 'header' | 'paper';
  paper_id: string | null;
  message_id: string;
  posted_at: string;
}

export function rowToSubscription(r: SubscriptionRow): Subscription {
  const sub: Subscription = {
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    hour: r.hour,
    minute: r.minute,
    timezone: r.timezone,
    weekdays: r.weekdays as Weekday[],
    every: r.every,
    topN: r.top_n,
    minUpvotes: r.min_upvotes,
    topic: r.topic,
    order: r.digest_order,
    paused: r.paused,
    pausedReason: r.paused_reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  // No ping is no field, as a subscription saved without one reads back.
  if (r.ping_kind && r.ping_id) sub.ping = { kind: r.ping_kind, id: r.ping_id, name: r.ping_name ?? '' };
  // Likewise threads off is no field.
  if (r.threads) sub.threads = true;
  return sub;
}

/** The ping columns of a subscription being saved. */
export function pingColumns(sub: Pick<Subscription, 'ping'>): { pingKind: string | null; pingId: string | null; pingName: string | null } {
  const p = sub.ping;
  return p ? { pingKind: p.kind, pingId: p.id, pingName: p.name } : { pingKind: null, pingId: null, pingName: null };
}

export function rowToPosted(r: PostedRow): PostedEntry {
  return {
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    date: r.day,
    kind: r.kind,
    paperId: r.paper_id,
    messageId: r.message_id,
    postedAt: r.posted_at,
  };
}
